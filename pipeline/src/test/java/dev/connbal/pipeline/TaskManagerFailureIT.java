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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A task manager killed (SIGKILL, by pid) while a job runs on a session cluster of two task
 * managers with one slot each, at parallelism 2: Flink restarts the failed work (the fixed-delay
 * restart strategy of the cluster's configuration, since Beam's {@code --numberOfExecutionRetries}
 * does not reach Flink 1.19 batch jobs) on a replacement task manager, as the survivor's slot is
 * taken, and the output is exactly the capture's expected TSV: no line lost, none duplicated, no
 * count changed. The job's exception history proves that the kill hit the job.
 */
class TaskManagerFailureIT {
  /** A few hundred MB: a run of tens of seconds on two busy cores, time to kill mid-job. */
  private static final long CAPTURE_BYTES = 240L << 20;

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void jobSurvivesAKilledTaskManager() throws Exception {
    Path root = Path.of(System.getProperty("connbal.root")).toRealPath();
    String jar = Path.of(System.getProperty("connbal.jar")).toRealPath().toString();
    // In target/, not a temporary directory: the cluster's logs stay there for a failed run.
    Path captures = Files.createDirectories(root.resolve("pipeline/target/task-manager-failure"));
    Path capture = captures.resolve("bulk.snoop");
    BulkCapture.Result expected = BulkCapture.write(capture, CAPTURE_BYTES);

    ExecutorService submitter = Executors.newSingleThreadExecutor();
    List<Long> started = new ArrayList<>();
    try (FlinkSessionCluster cluster =
        FlinkSessionCluster.start(
            root, captures.resolve("flink-state"), 2, 1, List.of("--restart-attempts=6"))) {
      started.addAll(cluster.pids());
      Future<CommandOutcome> run =
          submitter.submit(
              () ->
                  CommandOutcome.run(
                      "-f",
                      capture.toString(),
                      "--split-size=" + (16 << 20),
                      "--runner=FlinkRunner",
                      "--flinkMaster=" + cluster.flinkMaster(),
                      "--parallelism=2",
                      "--filesToStage=" + jar));

      String jobId = awaitBusyJob(cluster, run);
      List<Long> taskManagers = cluster.taskManagerPids();
      assertThat(taskManagers, hasSize(2));
      ProcessHandle victim = ProcessHandle.of(taskManagers.get(0)).orElseThrow();
      victim.destroyForcibly();
      victim.onExit().get(30, TimeUnit.SECONDS);
      started.add(cluster.addTaskManager());

      CommandOutcome flink = run.get(4, TimeUnit.MINUTES);
      JsonNode failures = cluster.rest("/jobs/" + jobId + "/exceptions");
      assertThat(flink + "\njob exceptions: " + failures, flink.exitCode, is(0));
      assertThat(flink.out, equalTo(expected.expectedTsv()));
      assertThat(flink.err, containsString("packets read: " + expected.packets() + "\n"));
      assertThat(flink.err, containsString("corrupt regions skipped: 0\n"));
      assertThat(cluster.rest("/jobs/" + jobId).path("state").asText(), equalTo("FINISHED"));
      assertThat(
          "the kill made the job fail over: " + failures,
          failures.path("exceptionHistory").path("entries").size(),
          greaterThan(0));
    } finally {
      submitter.shutdownNow();
      Files.deleteIfExists(capture);
    }
    for (long pid : started) {
      assertThat("process " + pid + " stopped", ProcessHandle.of(pid).isPresent(), is(false));
    }
  }

  /**
   * Waits until the job runs tasks in both slots and has been running for a few seconds (so results
   * of the killed task manager are in flight), and returns its id. Fails if the run ends first: a
   * kill after the job would prove nothing.
   */
  private static String awaitBusyJob(FlinkSessionCluster cluster, Future<CommandOutcome> run)
      throws IOException, InterruptedException, ExecutionException {
    long busySince = 0;
    while (true) {
      if (run.isDone()) {
        throw new AssertionError("the job ended before a task manager was killed: " + run.get());
      }
      for (JsonNode job : cluster.rest("/jobs/overview").path("jobs")) {
        boolean busy =
            job.path("state").asText().equals("RUNNING")
                && job.path("tasks").path("running").asInt() >= 2;
        if (busy && busySince == 0) {
          busySince = System.nanoTime();
        }
        if (busy && System.nanoTime() - busySince > TimeUnit.SECONDS.toNanos(4)) {
          return job.path("jid").asText();
        }
      }
      Thread.sleep(200);
    }
  }
}
