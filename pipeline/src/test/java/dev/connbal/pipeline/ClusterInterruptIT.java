package dev.connbal.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SEMANTICS.md "Interrupting a run" on a cluster: Ctrl-C (SIGINT to the connbal process) while its
 * job runs on a Flink session cluster cancels the job there, says so, and exits 130, where the
 * client leaving would leave the job running. The job reads a capture large enough to run for tens
 * of seconds (as in TaskManagerFailureIT), so that it still runs when the interrupt comes.
 */
class ClusterInterruptIT {
  private static final long CAPTURE_BYTES = 240L << 20;

  @TempDir Path work;

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void firstInterruptCancelsTheJobOnTheCluster() throws Exception {
    Path root = Path.of(System.getProperty("connbal.root")).toRealPath();
    String jar = Path.of(System.getProperty("connbal.jar")).toRealPath().toString();
    // In target/, not a temporary directory: the cluster's logs stay there for a failed run.
    Path state = Files.createDirectories(root.resolve("pipeline/target/cluster-interrupt"));
    Path capture = state.resolve("bulk.snoop");
    BulkCapture.write(capture, CAPTURE_BYTES);
    Process connbal = null;
    try (FlinkSessionCluster cluster = FlinkSessionCluster.start(root, state, 1, 2)) {
      ProcessBuilder builder =
          new ProcessBuilder(
              root.resolve("connbal").toString(),
              "-f",
              capture.toString(),
              "--split-size=" + (16 << 20),
              "--runner=FlinkRunner",
              "--flinkMaster=" + cluster.flinkMaster(),
              "--parallelism=2",
              "--filesToStage=" + jar);
      builder
          .environment()
          .put(
              "CONNBAL_JAVA_OPTS",
              "-Xmx1g -Djava.io.tmpdir=" + Files.createDirectories(work.resolve("tmp")));
      connbal = builder.start();
      connbal.getOutputStream().close();
      CompletableFuture<String> stdout = ChildProcesses.readAsync(connbal.getInputStream());
      CompletableFuture<String> stderr = ChildProcesses.readAsync(connbal.getErrorStream());

      JsonNode job = awaitRunningJob(cluster, connbal, stderr);
      String jobId = job.path("jid").asText();
      ChildProcesses.run("kill", "-INT", Long.toString(connbal.pid()));

      assertThat("connbal ended", connbal.waitFor(150, TimeUnit.SECONDS), is(true));
      String err = stderr.get(30, TimeUnit.SECONDS);
      assertThat(err, connbal.exitValue(), is(130));
      assertThat(
          err,
          containsString(
              "connbal: SIGINT: cancelling the job "
                  + job.path("name").asText()
                  + " on the cluster "
                  + cluster.flinkMaster()));
      assertThat(
          err,
          containsString(
              "connbal: the job "
                  + jobId
                  + " on the cluster "
                  + cluster.flinkMaster()
                  + " is CANCELED"));
      assertThat(err, containsString("connbal: interrupted by SIGINT before the run finished"));
      assertThat(stdout.get(30, TimeUnit.SECONDS), equalTo(""));
      assertThat(cluster.rest("/jobs/" + jobId).path("state").asText(), equalTo("CANCELED"));
    } finally {
      if (connbal != null && connbal.isAlive()) {
        connbal.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
      Files.deleteIfExists(capture);
    }
  }

  /**
   * Waits until the cluster runs the command's job in both slots; fails if the command ends first,
   * or after three minutes.
   */
  private static JsonNode awaitRunningJob(
      FlinkSessionCluster cluster, Process connbal, CompletableFuture<String> stderr)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (System.nanoTime() < deadline) {
      if (!connbal.isAlive()) {
        throw new AssertionError(
            "connbal ended (" + connbal.exitValue() + ") before its job ran: " + stderr.get());
      }
      for (JsonNode job : cluster.rest("/jobs/overview").path("jobs")) {
        // Reading: the job runs tasks in both slots.
        if (job.path("state").asText().equals("RUNNING")
            && job.path("tasks").path("running").asInt() >= 2) {
          return job;
        }
      }
      Thread.sleep(250);
    }
    throw new AssertionError("no job ran on the cluster within three minutes");
  }
}
