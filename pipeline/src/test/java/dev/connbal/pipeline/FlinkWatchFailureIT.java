package dev.connbal.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A watch with checkpointing on a session cluster of two task managers with one slot each, at
 * parallelism 2, while rotated captures arrive: one task manager is killed (SIGKILL, by pid) after
 * a checkpoint has completed and windows were written, a replacement is started, and the job is
 * restored from the checkpoint. Every window file is then the one a Direct batch run over the same
 * captures writes: none missing, none extra, nothing counted twice. Once the watch has ended,
 * connbal stops the job with drain (docs/DECISIONS.md, "A watch on Flink") and ends by itself, as a
 * run without checkpointing does: exit 0, the run report of every capture.
 *
 * <p>The captures are {@link RotatedCaptures}: the real capture moved in time by 20 s each (its
 * 10.4 s of traffic in windows of 5 s).
 */
class FlinkWatchFailureIT {
  private static final int CAPTURES = 8;

  @TempDir Path work;

  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void aWatchSurvivesAKilledTaskManager() throws Exception {
    Path root = Path.of(System.getProperty("connbal.root")).toRealPath();
    Path watched = Files.createDirectories(work.resolve("watched"));
    Path out = Files.createDirectories(work.resolve("out"));
    RotatedCaptures.putInPlace(watched, 0);
    // In target/, not a temporary directory: the cluster's logs stay there for a failed run.
    Path state = Files.createDirectories(root.resolve("pipeline/target/flink-watch-failure"));
    Process connbal = null;
    try (FlinkSessionCluster cluster =
        FlinkSessionCluster.start(root, state, 2, 1, List.of("--restart-attempts=6"))) {
      List<String> args = FlinkWatchDrainIT.watchArgs(root, cluster, watched, out);
      args.add("--watch-until=15s");
      ProcessBuilder builder = new ProcessBuilder(args);
      builder
          .environment()
          .put(
              "CONNBAL_JAVA_OPTS",
              "-Xmx1g -Djava.io.tmpdir=" + Files.createDirectories(work.resolve("tmp")));
      connbal = builder.start();
      connbal.getOutputStream().close();
      CompletableFuture<String> stdout = ChildProcesses.readAsync(connbal.getInputStream());
      CompletableFuture<String> stderr = ChildProcesses.readAsync(connbal.getErrorStream());

      String jobId = null;
      boolean killed = false;
      int next = 1;
      long lastPut = System.nanoTime();
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
      while (next < CAPTURES || !killed) {
        assertThat("the watch runs", connbal.isAlive(), is(true));
        if (System.nanoTime() > deadline) {
          throw new AssertionError("captures not all put in place, or no kill: " + next);
        }
        Thread.sleep(500);
        if (jobId == null) {
          jobId = runningJob(cluster);
        }
        if (jobId != null && next < CAPTURES && System.nanoTime() - lastPut > seconds(4)) {
          RotatedCaptures.putInPlace(watched, next++);
          lastPut = System.nanoTime();
        }
        if (jobId != null && !killed && checkpoints(cluster, jobId).path("completed").asInt() > 0) {
          try (var files = Files.list(out)) {
            if (files.findAny().isPresent()) {
              List<Long> taskManagers = cluster.taskManagerPids();
              assertThat(taskManagers, hasSize(2));
              ProcessHandle victim = ProcessHandle.of(taskManagers.get(0)).orElseThrow();
              victim.destroyForcibly();
              victim.onExit().get(30, TimeUnit.SECONDS);
              cluster.addTaskManager();
              killed = true;
            }
          }
        }
      }

      Map<String, String> expected =
          WindowedCommandTest.batchWindows(
              watched.resolve("*.snoop").toString(), "5s", work.resolve("batch-out"));
      // The watch ends 15 s after the last capture, and then its last windows are written.
      long until = lastPut + seconds(15 + 90);
      while (!WindowedCommandTest.contents(out).equals(expected) && System.nanoTime() < until) {
        Thread.sleep(1000);
      }
      assertThat(WindowedCommandTest.contents(out), equalTo(expected));
      JsonNode checkpoints = checkpoints(cluster, jobId);
      JsonNode failures = cluster.rest("/jobs/" + jobId + "/exceptions");
      assertThat(
          "restored from a checkpoint: " + checkpoints + failures,
          checkpoints.path("restored").asInt(),
          greaterThan(0));
      assertThat(failures.path("exceptionHistory").path("entries").size(), greaterThan(0));

      assertThat("connbal ended by itself", connbal.waitFor(150, TimeUnit.SECONDS), is(true));
      String err = stderr.get(30, TimeUnit.SECONDS);
      assertThat(err, connbal.exitValue(), is(0));
      assertThat(err, containsString("connbal: the watch has ended: stopping the job " + jobId));
      assertThat(err, containsString("packets read: " + CAPTURES * 209 + "\n"));
      assertThat(cluster.rest("/jobs/" + jobId).path("state").asText(), equalTo("FINISHED"));
      assertThat("-o: windows go to files", stdout.get(30, TimeUnit.SECONDS), equalTo(""));
      assertThat(WindowedCommandTest.contents(out), equalTo(expected));
    } finally {
      if (connbal != null && connbal.isAlive()) {
        connbal.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  private static String runningJob(FlinkSessionCluster cluster)
      throws IOException, InterruptedException {
    for (JsonNode job : cluster.rest("/jobs/overview").path("jobs")) {
      if (job.path("state").asText().equals("RUNNING")) {
        return job.path("jid").asText();
      }
    }
    return null;
  }

  private static JsonNode checkpoints(FlinkSessionCluster cluster, String jobId)
      throws IOException, InterruptedException {
    return cluster.rest("/jobs/" + jobId + "/checkpoints").path("counts");
  }

  private static long seconds(long s) {
    return TimeUnit.SECONDS.toNanos(s);
  }
}
