package dev.connbal.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A watch on embedded Flink, a streaming run: its window files are those of a batch run on the
 * Direct runner. The real capture has many events of one client shard within one millisecond (a
 * query and its answer, SYNs), which Beam 2.62's Flink runner lost from an ordered list state,
 * leaving responses without their queries; the shard timelines now wait in a bag.
 */
class FlinkWatchTest {
  private static final Path REAL_CAPTURE = Path.of("../examples/real-capture/capture.snoop");

  @TempDir Path dir;

  @Test
  void aWatchOnFlinkWritesTheWindowsOfTheBatchRun() throws Exception {
    Path watched = Files.createDirectories(dir.resolve("watched"));
    Files.copy(REAL_CAPTURE, watched.resolve("a.snoop"));
    Path out = Files.createDirectories(dir.resolve("watch-out"));
    CommandOutcome watch =
        CommandOutcome.run(
            "--watch",
            "-f",
            watched.resolve("*.snoop").toString(),
            "--window=1s",
            "--poll-interval=200ms",
            "--watch-until=2s",
            "--runner=FlinkRunner",
            "--parallelism=2",
            "-o",
            out + "/");
    assertThat(watch.toString(), watch.exitCode, is(0));
    // examples/real-capture/expected-report.txt: every response of the capture has its query.
    assertThat(watch.err, containsString("DNS responses without a matching query: 0\n"));
    assertThat(
        WindowedCommandTest.contents(out),
        equalTo(
            WindowedCommandTest.batchWindows(
                REAL_CAPTURE.toString(), "1s", dir.resolve("batch-out"))));
  }

  /**
   * With checkpointing, Beam's Flink runner keeps the job's sources running until the job is
   * cancelled; connbal stops the job with drain once the watch has ended (through the REST port it
   * gives the embedded Flink), and the run ends as one without checkpointing: exit 0, every window,
   * the run report, and no savepoint left behind.
   */
  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void aCheckpointedWatchOnFlinkEndsByItselfOnceTheWatchHasEnded() throws Exception {
    Path watched = Files.createDirectories(dir.resolve("watched"));
    Files.copy(REAL_CAPTURE, watched.resolve("a.snoop"));
    Path out = Files.createDirectories(dir.resolve("watch-out"));
    Path temp = Files.createDirectories(dir.resolve("temp"));
    CommandOutcome watch =
        CommandOutcome.run(
            "--watch",
            "-f",
            watched.resolve("*.snoop").toString(),
            "--window=1s",
            "--poll-interval=200ms",
            "--watch-until=2s",
            "--runner=FlinkRunner",
            "--parallelism=2",
            "--checkpointingInterval=1000",
            "--tempLocation=" + temp,
            "-o",
            out + "/");
    assertThat(watch.toString(), watch.exitCode, is(0));
    assertThat(watch.err, containsString("the watch has ended: stopping the job "));
    assertThat(watch.err, containsString("packets read: 209\n"));
    assertThat(
        WindowedCommandTest.contents(out),
        equalTo(
            WindowedCommandTest.batchWindows(
                REAL_CAPTURE.toString(), "1s", dir.resolve("batch-out"))));
    try (var left = Files.list(temp)) {
      assertThat("the savepoint and the results are deleted", left.toList(), empty());
    }
  }
}
