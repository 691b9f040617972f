package dev.connbal.snoop.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-compatible server for tests: the s3proxy {@code jar-with-dependencies} started as a
 * child {@code java -jar} process on a free loopback port, with the in-memory ("transient") or the
 * filesystem backend and AWS v2/v4 signature checks against fixed fake keys.
 *
 * <p>Use with try-with-resources so that {@link #close()} kills the child even when a test fails; a
 * JVM shutdown hook is a second line of defence.
 *
 * <p>The jar is located, in this order, through the system property {@code s3proxy.jar} (set by
 * io-snoop's surefire to the copy under {@code target/s3proxy}), the local repository named by
 * {@code s3proxy.localRepository} or {@code maven.repo.local} (set it to {@code
 * ${settings.localRepository}} in another module's surefire configuration), and finally {@code
 * ~/.m2/repository}. io-snoop's build resolves the artifact into the local repository, so modules
 * built after it in the reactor find it there.
 *
 * <p>Clients must use path-style access ({@code bucket.localhost} does not resolve): the Beam
 * options from {@link #pipelineOptionsArgs()} name {@link PathStyleS3ClientBuilderFactory}.
 */
public final class S3ProxyServer implements AutoCloseable {
  public static final String ACCESS_KEY = "connbal-test-access-key";
  public static final String SECRET_KEY = "connbal-test-secret-key";
  public static final String REGION = "us-east-1";

  private static final String VERSION = "2.6.0";
  private static final String JAR_NAME = "s3proxy-" + VERSION + "-jar-with-dependencies.jar";
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
  private static final int START_ATTEMPTS = 3;

  static {
    // Beam's aws2 registrar registers only AwsOptions; --s3ClientFactoryClass lives in S3Options,
    // which must be registered for the arguments of pipelineOptionsArgs() to parse.
    PipelineOptionsFactory.register(S3Options.class);
  }

  private final Process process;
  private final Path workDir;
  private final Path log;
  private final URI endpoint;
  private final Thread shutdownHook;
  private S3Client client;

  private S3ProxyServer(Process process, Path workDir, Path log, URI endpoint) {
    this.process = process;
    this.workDir = workDir;
    this.log = log;
    this.endpoint = endpoint;
    this.shutdownHook = new Thread(this::kill, "s3proxy-killer");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Starts a server that keeps objects in memory. */
  public static S3ProxyServer startTransient() throws IOException {
    return start(null);
  }

  /** Starts a server that keeps buckets as directories under {@code baseDir}. */
  public static S3ProxyServer startFilesystem(Path baseDir) throws IOException {
    Files.createDirectories(baseDir);
    return start(baseDir);
  }

  private static S3ProxyServer start(Path filesystemBaseDir) throws IOException {
    Path jar = locateJar();
    IOException last = null;
    // A free port found by binding port 0 can be taken by someone else before the child binds it;
    // a child that dies during startup is therefore retried on a new port.
    for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
      Path workDir = Files.createTempDirectory("s3proxy");
      int port = freeLoopbackPort();
      URI endpoint = URI.create("http://127.0.0.1:" + port);
      Path conf = workDir.resolve("s3proxy.conf");
      writeConfig(conf, endpoint, filesystemBaseDir);
      Path log = workDir.resolve("s3proxy.log");
      Process process =
          new ProcessBuilder(
                  javaBinary(), "-Xmx256m", "-jar", jar.toString(), "--properties", conf.toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      S3ProxyServer server = new S3ProxyServer(process, workDir, log, endpoint);
      try {
        server.awaitAnswering(port);
        return server;
      } catch (IOException e) {
        server.close();
        last = e;
      }
    }
    throw last;
  }

  /** Where the server listens, e.g. {@code http://127.0.0.1:41234}. */
  public URI endpoint() {
    return endpoint;
  }

  /** Process id of the child, so tests can check it is gone after {@link #close()}. */
  public long pid() {
    return process.pid();
  }

  /** Creates a bucket. */
  public void createBucket(String name) {
    client().createBucket(b -> b.bucket(name));
  }

  /** Uploads a local file as {@code s3://bucket/key}. */
  public void upload(String bucket, String key, Path file) {
    client().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromFile(file));
  }

  /**
   * Beam pipeline arguments for the aws2 S3 filesystem pointed at this server: endpoint override,
   * region, static fake credentials and the path-style client factory. Loading this class registers
   * {@link S3Options} with {@link PipelineOptionsFactory} so that they parse.
   */
  public List<String> pipelineOptionsArgs() {
    List<String> args = new ArrayList<>();
    args.add("--endpoint=" + endpoint);
    args.add("--awsRegion=" + REGION);
    args.add(
        "--awsCredentialsProvider={\"@type\":\"StaticCredentialsProvider\",\"accessKeyId\":\""
            + ACCESS_KEY
            + "\",\"secretAccessKey\":\""
            + SECRET_KEY
            + "\"}");
    args.add("--s3ClientFactoryClass=" + PathStyleS3ClientBuilderFactory.class.getName());
    return args;
  }

  /** Stops the child process (by pid) and removes its working directory. */
  @Override
  public void close() {
    if (client != null) {
      client.close();
      client = null;
    }
    kill();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // The hook is running or about to run; nothing more to undo.
    }
    deleteRecursively(workDir);
  }

  private synchronized S3Client client() {
    if (client == null) {
      client =
          S3Client.builder()
              .endpointOverride(endpoint)
              .region(Region.of(REGION))
              .credentialsProvider(
                  StaticCredentialsProvider.create(
                      AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
              .forcePathStyle(true)
              .httpClient(ApacheHttpClient.builder().build())
              .build();
    }
    return client;
  }

  private void kill() {
    ProcessHandle.of(process.pid())
        .ifPresent(
            handle -> {
              handle.destroy();
              try {
                handle.onExit().get(10, TimeUnit.SECONDS);
              } catch (Exception e) {
                handle.destroyForcibly();
              }
            });
  }

  private void awaitAnswering(int port) throws IOException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(
            "s3proxy exited with " + process.exitValue() + " during startup:\n" + logTail());
      }
      if (portOpen(port)) {
        try {
          // Any HTTP answer (403 for an anonymous request) means the S3 handler is up.
          http.send(
              HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(5)).GET().build(),
              HttpResponse.BodyHandlers.discarding());
          return;
        } catch (IOException notYet) {
          // Jetty accepted the connection before the handler was ready; poll again.
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while waiting for s3proxy", e);
        }
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for s3proxy", e);
      }
    }
    throw new IOException(
        "s3proxy did not answer on " + endpoint + " within " + STARTUP_TIMEOUT + ":\n" + logTail());
  }

  private static boolean portOpen(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static void writeConfig(Path conf, URI endpoint, Path filesystemBaseDir)
      throws IOException {
    Properties p = new Properties();
    p.setProperty("s3proxy.endpoint", endpoint.toString());
    p.setProperty("s3proxy.authorization", "aws-v2-or-v4");
    p.setProperty("s3proxy.identity", ACCESS_KEY);
    p.setProperty("s3proxy.credential", SECRET_KEY);
    p.setProperty("jclouds.identity", ACCESS_KEY);
    p.setProperty("jclouds.credential", SECRET_KEY);
    if (filesystemBaseDir == null) {
      p.setProperty("jclouds.provider", "transient");
    } else {
      p.setProperty("jclouds.provider", "filesystem");
      p.setProperty("jclouds.filesystem.basedir", filesystemBaseDir.toAbsolutePath().toString());
    }
    try (var out = Files.newBufferedWriter(conf, StandardCharsets.UTF_8)) {
      p.store(out, "s3proxy for connbal tests");
    }
  }

  private static int freeLoopbackPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static String javaBinary() {
    return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
  }

  static Path locateJar() {
    List<Path> candidates = new ArrayList<>();
    String explicit = System.getProperty("s3proxy.jar");
    if (explicit != null && !explicit.isEmpty()) {
      candidates.add(Paths.get(explicit));
    }
    for (String repoProperty : new String[] {"s3proxy.localRepository", "maven.repo.local"}) {
      String repo = System.getProperty(repoProperty);
      if (repo != null && !repo.isEmpty()) {
        candidates.add(inRepository(Paths.get(repo)));
      }
    }
    candidates.add(inRepository(Paths.get(System.getProperty("user.home"), ".m2", "repository")));
    for (Path candidate : candidates) {
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "s3proxy jar not found; looked at "
            + candidates
            + ". Build io-snoop first (it resolves org.gaul:s3proxy:"
            + VERSION
            + ":jar-with-dependencies) or set -Ds3proxy.jar=...");
  }

  private static Path inRepository(Path repository) {
    return repository.resolve(Paths.get("org", "gaul", "s3proxy", VERSION, JAR_NAME).toString());
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      paths
          .sorted(java.util.Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
