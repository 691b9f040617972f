package dev.connbal.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A local Flink session cluster for integration tests, run through the committed {@code
 * scripts/flink-cluster}: started on a free REST port with its own state directory, stopped (by the
 * pids the script recorded) on {@link #close()}.
 */
final class FlinkSessionCluster implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path script;
  private final Path state;
  private final int restPort;

  private FlinkSessionCluster(Path script, Path state, int restPort) {
    this.script = script;
    this.state = state;
    this.restPort = restPort;
  }

  static FlinkSessionCluster start(Path repositoryRoot, Path state, int taskManagers, int slots)
      throws IOException, InterruptedException {
    return start(repositoryRoot, state, taskManagers, slots, List.of());
  }

  /** Like {@link #start(Path, Path, int, int)} with more {@code start} options of the script. */
  static FlinkSessionCluster start(
      Path repositoryRoot, Path state, int taskManagers, int slots, List<String> moreOptions)
      throws IOException, InterruptedException {
    Path script = repositoryRoot.resolve("scripts/flink-cluster");
    int port = freeLoopbackPort();
    FlinkSessionCluster cluster = new FlinkSessionCluster(script, state, port);
    List<String> args = new ArrayList<>();
    args.addAll(
        List.of("start", "--port=" + port, "--taskmanagers=" + taskManagers, "--slots=" + slots));
    args.addAll(moreOptions);
    String out = cluster.script(args.toArray(new String[0]));
    if (!out.trim().equals("localhost:" + port)) {
      cluster.close();
      throw new IOException("scripts/flink-cluster start printed '" + out + "'");
    }
    return cluster;
  }

  String flinkMaster() {
    return "localhost:" + restPort;
  }

  /** The pids of the cluster's processes, as recorded in the state directory. */
  List<Long> pids() throws IOException {
    List<Long> pids = new ArrayList<>();
    if (Files.isDirectory(state)) {
      try (var files = Files.list(state)) {
        for (Path file : (Iterable<Path>) files::iterator) {
          if (file.toString().endsWith(".pid")) {
            pids.add(Long.parseLong(Files.readString(file).trim()));
          }
        }
      }
    }
    return pids;
  }

  /** The pids of the task manager processes started so far (alive or not), in start order. */
  List<Long> taskManagerPids() throws IOException {
    List<Long> pids = new ArrayList<>();
    for (int n = 1; Files.exists(state.resolve("taskmanager-" + n + ".pid")); n++) {
      pids.add(Long.parseLong(Files.readString(state.resolve("taskmanager-" + n + ".pid")).trim()));
    }
    return pids;
  }

  /** Starts one more task manager and waits until it is registered; returns its pid. */
  long addTaskManager() throws IOException, InterruptedException {
    return Long.parseLong(script("add-taskmanager").trim());
  }

  /** GETs a path of the REST API ({@code /jobs/overview} ...) and parses its JSON answer. */
  JsonNode rest(String path) throws IOException, InterruptedException {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restPort + path))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("GET " + path + ": HTTP " + response.statusCode());
    }
    return JSON.readTree(response.body());
  }

  @Override
  public void close() throws IOException, InterruptedException {
    script("stop");
  }

  private String script(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(script.toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("FLINK_CLUSTER_DIR", state.toString());
    builder.redirectError(ProcessBuilder.Redirect.INHERIT);
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(180, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException("scripts/flink-cluster " + args[0] + " did not finish");
    }
    if (process.exitValue() != 0) {
      throw new IOException(
          "scripts/flink-cluster " + String.join(" ", args) + " exited " + process.exitValue());
    }
    return out;
  }

  static int freeLoopbackPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
