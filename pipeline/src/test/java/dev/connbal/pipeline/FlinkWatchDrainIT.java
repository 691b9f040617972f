package dev.connbal.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A watch with checkpointing on a session cluster ends by itself: Beam's Flink runner keeps such a
 * job's sources running until it is cancelled, so once the watch has ended (its {@code
 * --watch-until} without a new capture) connbal stops the job with drain (docs/DECISIONS.md, "A
 * watch on Flink"). The run then ends as one without checkpointing: exit 0, every window file the
 * one a Direct batch run over the same captures writes, the run report on stderr and in {@code
 * --run-report}, the job FINISHED, and its savepoint deleted. Captures keep arriving for a while
 * after the job runs, so a drain before the watch's end would miss their windows. A watch without
 * an end still ends with Ctrl-C, which cancels its job (SEMANTICS.md, "Interrupting a run").
 */
class FlinkWatchDrainIT {
  private static final int CAPTURES = 4;
  private static final int WATCH_UNTIL_SECONDS = 10;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path work;

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void aCheckpointedWatchEndsByItselfAndOneWithoutAnEndWithCtrlC() throws Exception {
    Path root = Path.of(System.getProperty("connbal.root")).toRealPath();
    Path state = Files.createDirectories(root.resolve("pipeline/target/flink-watch-drain"));
    try (FlinkSessionCluster cluster = FlinkSessionCluster.start(root, state, 1, 2)) {
      aWatchEndsByItself(root, cluster);
      aWatchWithoutAnEndIsCancelledByCtrlC(root, cluster);
    }
  }

  private void aWatchEndsByItself(Path root, FlinkSessionCluster cluster) throws Exception {
    Path watched = Files.createDirectories(work.resolve("watched"));
    Path out = Files.createDirectories(work.resolve("out"));
    Path temp = Files.createDirectories(work.resolve("temp"));
    Path report = work.resolve("run-report.json");
    RotatedCaptures.putInPlace(watched, 0);
    List<String> args = watchArgs(root, cluster, watched, out);
    args.addAll(
        List.of(
            "--watch-until=" + WATCH_UNTIL_SECONDS + "s",
            "--tempLocation=" + temp,
            "--run-report=" + report));
    Process connbal = start(args);
    try {
      CompletableFuture<String> stdout = ChildProcesses.readAsync(connbal.getInputStream());
      CompletableFuture<String> stderr = ChildProcesses.readAsync(connbal.getErrorStream());
      String jobId = awaitRunningJob(cluster, connbal);
      for (int n = 1; n < CAPTURES; n++) {
        Thread.sleep(4000);
        assertThat("the watch runs", connbal.isAlive(), is(true));
        RotatedCaptures.putInPlace(watched, n);
      }
      long lastPut = System.nanoTime();

      assertThat("connbal ended by itself", connbal.waitFor(150, TimeUnit.SECONDS), is(true));
      long tookSeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - lastPut);
      String err = stderr.get(30, TimeUnit.SECONDS);
      assertThat(err, connbal.exitValue(), is(0));
      // The watch's end, a metrics fetch of the cluster (10 s) and the drain.
      assertThat(err, tookSeconds, lessThan(WATCH_UNTIL_SECONDS + 60L));
      assertThat(err, containsString("connbal: the watch has ended: stopping the job " + jobId));
      assertThat(err, containsString("packets read: " + CAPTURES * 209 + "\n"));
      assertThat(err, not(containsString("partial")));
      assertThat("-o: windows go to files", stdout.get(30, TimeUnit.SECONDS), equalTo(""));
      assertThat(cluster.rest("/jobs/" + jobId).path("state").asText(), equalTo("FINISHED"));

      assertThat(
          WindowedCommandTest.contents(out),
          equalTo(
              WindowedCommandTest.batchWindows(
                  watched.resolve("*.snoop").toString(), "5s", work.resolve("batch-out"))));
      JsonNode summary = JSON.readTree(report.toFile());
      assertThat(summary.path("kind").asText(), equalTo("OK"));
      assertThat(summary.path("exit_status").asInt(), is(0));
      assertThat(summary.path("counters").path("packets").asLong(), is(CAPTURES * 209L));
      try (var left = Files.list(temp)) {
        assertThat("the savepoint and the results are deleted", left.toList(), empty());
      }
    } finally {
      stop(connbal);
    }
  }

  private void aWatchWithoutAnEndIsCancelledByCtrlC(Path root, FlinkSessionCluster cluster)
      throws Exception {
    Path watched = Files.createDirectories(work.resolve("watched-2"));
    Path out = Files.createDirectories(work.resolve("out-2"));
    RotatedCaptures.putInPlace(watched, 0);
    Process connbal = start(watchArgs(root, cluster, watched, out));
    try {
      CompletableFuture<String> stderr = ChildProcesses.readAsync(connbal.getErrorStream());
      ChildProcesses.readAsync(connbal.getInputStream());
      String jobId = awaitRunningJob(cluster, connbal);
      // A later capture moves the watermark past the first one's windows.
      RotatedCaptures.putInPlace(watched, 1);
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      while (WindowedCommandTest.contents(out).isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(500);
      }
      assertThat("windows were written", WindowedCommandTest.contents(out).isEmpty(), is(false));

      ChildProcesses.run("kill", "-INT", Long.toString(connbal.pid()));

      assertThat("connbal ended", connbal.waitFor(150, TimeUnit.SECONDS), is(true));
      String err = stderr.get(30, TimeUnit.SECONDS);
      assertThat(err, connbal.exitValue(), is(130));
      assertThat(err, containsString("connbal: the job " + jobId));
      assertThat(err, containsString(" is CANCELED\n"));
      assertThat(err, not(containsString("the watch has ended")));
    } finally {
      stop(connbal);
    }
  }

  /**
   * The command line of a watch of {@code watched} with checkpointing on {@code cluster}, windows
   * of 5 s into {@code out}, as a list that takes more.
   */
  static List<String> watchArgs(Path root, FlinkSessionCluster cluster, Path watched, Path out)
      throws IOException {
    String jar = Path.of(System.getProperty("connbal.jar")).toRealPath().toString();
    return new ArrayList<>(
        List.of(
            root.resolve("connbal").toString(),
            "--watch",
            "-f",
            watched.resolve("*.snoop").toString(),
            "--window=5s",
            "-o",
            out + "/",
            "--poll-interval=1s",
            "--runner=FlinkRunner",
            "--flinkMaster=" + cluster.flinkMaster(),
            "--parallelism=2",
            "--filesToStage=" + jar,
            "--checkpointingInterval=2000"));
  }

  private Process start(List<String> command) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder
        .environment()
        .put(
            "CONNBAL_JAVA_OPTS",
            "-Xmx1g -Djava.io.tmpdir=" + Files.createDirectories(work.resolve("tmp")));
    Process connbal = builder.start();
    connbal.getOutputStream().close();
    return connbal;
  }

  private static void stop(Process connbal) throws InterruptedException {
    if (connbal.isAlive()) {
      connbal.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** The id of the connbal job that runs on the cluster, once it runs. */
  private static String awaitRunningJob(FlinkSessionCluster cluster, Process connbal)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (System.nanoTime() < deadline) {
      assertThat("connbal runs", connbal.isAlive(), is(true));
      for (JsonNode job : cluster.rest("/jobs/overview").path("jobs")) {
        if (job.path("state").asText().equals("RUNNING")) {
          return job.path("jid").asText();
        }
      }
      Thread.sleep(500);
    }
    throw new AssertionError("no job ran on the cluster");
  }
}
