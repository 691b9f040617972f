package dev.connbal.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import dev.connbal.snoop.testing.S3ProxyServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recognisable fake S3 secret key, given through the options or through the environment, never
 * appears on stdout or stderr (report, read errors, failure lines) of a run that S3 rejects: the
 * access key is right, the secret is not, so every request fails with a signature mismatch.
 */
class S3SecretsIT {
  private static final String FAKE_SECRET = "FAKEs3cretKEY-connbal-7f3a9c1e";

  @TempDir Path work;

  @Test
  void secretGivenAsAnOptionNeverReachesTheOutput() throws Exception {
    Path api = TestCaptures.writeApi(work.resolve("api.snoop"));
    try (S3ProxyServer s3 = S3ProxyServer.startTransient()) {
      s3.createBucket("captures");
      s3.upload("captures", "api.snoop", api);
      List<String> args = endpointArgs(s3);
      args.add(
          "--awsCredentialsProvider={\"@type\":\"StaticCredentialsProvider\",\"accessKeyId\":\""
              + S3ProxyServer.ACCESS_KEY
              + "\",\"secretAccessKey\":\""
              + FAKE_SECRET
              + "\"}");
      args.addAll(List.of("-f", "s3://captures/api.snoop", "--tempLocation=s3://captures/tmp"));
      CommandOutcome run = CommandOutcome.run(args);

      assertFailedWithoutTheSecret(run.exitCode, run.out, run.err);
    }
  }

  @Test
  void secretFromTheEnvironmentNeverReachesTheOutput() throws Exception {
    Path api = TestCaptures.writeApi(work.resolve("api.snoop"));
    Path launcher = Path.of(System.getProperty("connbal.root")).toRealPath().resolve("connbal");
    try (S3ProxyServer s3 = S3ProxyServer.startTransient()) {
      s3.createBucket("captures");
      s3.upload("captures", "api.snoop", api);
      List<String> command = new ArrayList<>(List.of(launcher.toString()));
      command.addAll(endpointArgs(s3));
      command.addAll(List.of("-f", "s3://captures/api.snoop"));
      ProcessBuilder builder = new ProcessBuilder(command);
      // Beam's default credentials provider reads these.
      builder.environment().put("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY);
      builder.environment().put("AWS_SECRET_ACCESS_KEY", FAKE_SECRET);
      builder.environment().put("CONNBAL_JAVA_OPTS", "-Djava.io.tmpdir=" + work);
      Process process = builder.start();
      process.getOutputStream().close();
      CompletableFuture<String> out = readAsync(process.getInputStream());
      CompletableFuture<String> err = readAsync(process.getErrorStream());
      if (!process.waitFor(3, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError("./connbal did not finish");
      }
      assertFailedWithoutTheSecret(process.exitValue(), out.get(), err.get());
    }
  }

  private static void assertFailedWithoutTheSecret(int exitCode, String out, String err) {
    String what = "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    // The run failed, and said so on stderr (the test would prove nothing about a quiet success).
    assertThat(what, exitCode, is(2));
    assertThat(what, err, containsString("cannot read s3://captures/api.snoop"));
    assertThat(what, err, containsString("Status Code: 403"));
    assertThat(what, out, emptyString());
    assertThat(what, out, not(containsString(FAKE_SECRET)));
    assertThat(what, err, not(containsString(FAKE_SECRET)));
  }

  /** S3Proxy's endpoint and region, with connbal's path-style switch; no credentials. */
  private static List<String> endpointArgs(S3ProxyServer s3) {
    List<String> args = new ArrayList<>();
    for (String arg : s3.pipelineOptionsArgs()) {
      if (arg.startsWith("--endpoint=") || arg.startsWith("--awsRegion=")) {
        args.add(arg);
      }
    }
    args.add("--s3-path-style");
    return args;
  }

  private static CompletableFuture<String> readAsync(InputStream in) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }
}
