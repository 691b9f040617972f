package dev.connbal.pipeline;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Ends a watch's Flink job once the watch has ended. With checkpointing, Beam 2.62's Flink runner
 * keeps a job's sources running until the job is cancelled, so such a job never finishes by itself
 * (docs/DECISIONS.md, "A watch on Flink"). A thread of its own waits until the job's watermark is
 * at the end of time everywhere, which a watch allows only once it has ended, then stops the job
 * with drain: every window and the run's report are written and the job ends FINISHED, as a run
 * without checkpointing does. The savepoint the stop writes goes to a directory of the run's and is
 * deleted. A stop that fails is reported and the job cancelled: the run then ends {@link
 * ExitKind#NOT_DRAINED}.
 */
final class WatchDrain implements AutoCloseable {
  /** How long a stop may take, from its request until the job has ended. */
  static final Duration TIMEOUT = Duration.ofMinutes(2);

  private static final Duration POLL = Duration.ofSeconds(1);

  private final ClusterJob job;
  private final ResourceId savepoints;
  private final PrintStream err;
  private final Consumer<String> error;
  private final BooleanSupplier cancelling;
  private final Thread thread;
  private volatile boolean closed;
  private volatile boolean failed;

  private WatchDrain(
      ClusterJob job,
      ResourceId savepoints,
      PrintStream err,
      Consumer<String> error,
      BooleanSupplier cancelling) {
    this.job = job;
    this.savepoints = savepoints;
    this.err = err;
    this.error = error;
    this.cancelling = cancelling;
    this.thread = new Thread(this::run, "connbal-drain");
    thread.setDaemon(true);
  }

  /**
   * Whether a watch run with {@code options} needs a drain to end: on Flink with checkpointing,
   * where Beam keeps the sources running ({@code --shutdownSourcesAfterIdleMs} not given).
   */
  static boolean needed(PipelineOptions options) {
    if (!FlinkRunner.class.equals(options.getRunner())) {
      return false;
    }
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    Long interval = flink.getCheckpointingInterval();
    Long idle = flink.getShutdownSourcesAfterIdleMs();
    return interval != null && interval > 0 && (idle == null || idle < 0);
  }

  /**
   * Starts watching {@code job}.
   *
   * @param savepoints a directory for the stop's savepoint that the cluster can write to and this
   *     process can delete (the run's temporary directory)
   * @param error prints an error line and keeps it for the run report
   * @param cancelling whether an interrupt is cancelling the job: a stop that fails then is no
   *     error
   */
  static WatchDrain start(
      ClusterJob job,
      ResourceId savepoints,
      PrintStream err,
      Consumer<String> error,
      BooleanSupplier cancelling) {
    WatchDrain drain = new WatchDrain(job, savepoints, err, error, cancelling);
    drain.thread.start();
    return drain;
  }

  /** Whether the stop failed and the job was cancelled (or could not be). */
  boolean failed() {
    return failed;
  }

  private void run() {
    try {
      String jobId = awaitEndOfTime();
      if (jobId == null) {
        return;
      }
      err.println(
          "connbal: the watch has ended: stopping the job "
              + jobId
              + " on "
              + job.cluster()
              + " with drain");
      try {
        job.stopWithDrain(jobId, savepoints.toString(), TIMEOUT);
      } catch (IOException e) {
        if (!closed && !cancelling.getAsBoolean()) {
          failed = true;
          error.accept(
              "cannot stop the job " + jobId + " with drain, cancelling it: " + OneLine.of(e));
          cancel(jobId);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // closed while it waited
    }
  }

  /**
   * The job's id once it runs at the end of time; null if this drain was closed first (the run
   * ended otherwise). A cluster that does not answer for a while is asked again.
   */
  private String awaitEndOfTime() throws InterruptedException {
    String jobId = null;
    while (!closed) {
      try {
        if (jobId == null) {
          jobId = job.findId();
        }
        if (jobId != null && job.runsAtEndOfTime(jobId)) {
          return closed ? null : jobId;
        }
      } catch (IOException e) {
        // Asked again at the next poll; the run's own end closes this drain.
      }
      Thread.sleep(POLL.toMillis());
    }
    return null;
  }

  private void cancel(String jobId) throws InterruptedException {
    try {
      ClusterJob.Cancelled cancelled = job.cancel(TIMEOUT, () -> true);
      err.println(
          "connbal: the job " + jobId + " on " + job.cluster() + " is " + cancelled.state());
    } catch (IOException e) {
      error.accept("cannot cancel the job " + jobId + ", it may still run: " + OneLine.of(e));
    }
  }

  /**
   * Ends the waiting (the run has ended), lets a stop or cancellation under way finish, and deletes
   * the savepoint.
   */
  @Override
  public void close() throws InterruptedException {
    closed = true;
    thread.join(TIMEOUT.toMillis() + POLL.toMillis());
    try {
      deleteSavepoints();
    } catch (IOException | RuntimeException e) {
      error.accept("cannot delete the savepoint in " + savepoints + ": " + OneLine.of(e));
    }
  }

  /** Deletes {@link #savepoints} and everything in it, if it exists. */
  private void deleteSavepoints() throws IOException {
    if ("file".equals(savepoints.getScheme())) {
      ConnBalCommand.deleteRecursively(Path.of(savepoints.toString()));
      return;
    }
    MatchResult match = FileSystems.match(savepoints + "**");
    if (match.status() != MatchResult.Status.OK) {
      return;
    }
    List<ResourceId> files = new ArrayList<>();
    for (MatchResult.Metadata m : match.metadata()) {
      files.add(m.resourceId());
    }
    FileSystems.delete(files, StandardMoveOptions.IGNORE_MISSING_FILES);
  }
}
