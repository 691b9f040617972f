package dev.connbal.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Splitter;
import org.joda.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same captures give byte-identical TSV and identical reports on the Direct runner with any
 * split size and on embedded Flink with any parallelism, in both counting modes. Flink runs are few
 * and small (each embedded start costs seconds).
 */
class RunnerEquivalenceTest {
  @TempDir static Path tmp;
  private static String captures;
  private static int packets;

  @BeforeAll
  static void writeCaptures() throws IOException {
    Path dir = Files.createDirectory(tmp.resolve("captures"));
    packets = MixedCaptures.write(dir, 3, 7);
    captures = dir.resolve("*.snoop").toString();
  }

  private static ConnBalRun.Output direct(ConnBal.Analyze analyze) {
    return ConnBalRun.direct(captures, analyze, tmp);
  }

  private static ConnBalRun.Output flink(int parallelism, ConnBal.Analyze analyze) {
    FlinkPipelineOptions options = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    options.setRunner(FlinkRunner.class);
    options.setFlinkMaster("[local]");
    options.setParallelism(parallelism);
    return ConnBalRun.run(options, captures, analyze, tmp);
  }

  private static void assertSame(ConnBalRun.Output expected, ConnBalRun.Output actual) {
    assertThat(actual.tsv(), equalTo(expected.tsv()));
    assertThat(actual.report(), equalTo(expected.report()));
  }

  @Test
  void newConnectionsModeIsIdenticalEverywhere() {
    ConnBal.Analyze analyze = ConnBal.analyze();
    ConnBalRun.Output reference = direct(analyze);
    assertThat(reference.report().packets(), is((long) packets));
    assertThat(reference.tsv().lines().count(), greaterThan(5L));
    assertThat(
        "some connections were counted",
        reference.tsv().lines().anyMatch(l -> !Splitter.on('\t').splitToList(l).get(2).equals("0")),
        is(true));
    assertSame(reference, direct(analyze.withDesiredSplitSize(64)));
    assertSame(reference, direct(analyze.withDesiredSplitSize(1024)));
    assertSame(reference, direct(analyze.withShardCount(1)));
    assertSame(reference, direct(analyze.withShardCount(7).withDesiredSplitSize(1024)));
    assertSame(reference, direct(analyze.withTimelineShardCount(1)));
    assertSame(reference, direct(analyze.withTimelineShardCount(5).withDesiredSplitSize(1024)));
    assertSame(reference, flink(1, analyze.withTimelineShardCount(1)));
    assertSame(reference, flink(4, analyze.withDesiredSplitSize(1024)));
  }

  @Test
  void allStreamsModeIsIdenticalEverywhere() {
    ConnBal.Analyze analyze = ConnBal.analyze().withAllStreams(true);
    ConnBalRun.Output reference = direct(analyze);
    // The mode matters for these captures, so equality below is not trivially true.
    assertThat(reference.tsv(), not(equalTo(direct(ConnBal.analyze()).tsv())));
    assertSame(reference, direct(analyze.withDesiredSplitSize(64)));
    assertSame(reference, direct(analyze.withShardCount(3).withDesiredSplitSize(1024)));
    assertSame(reference, direct(analyze.withTimelineShardCount(1).withDesiredSplitSize(64)));
    assertSame(reference, flink(2, analyze.withDesiredSplitSize(64)));
  }

  /**
   * The all-streams mode with windows: every window holds the same rows on the Direct runner, with
   * one timeline shard or several, and on embedded Flink, whose keyed state and timers run the
   * stream trackers; their sums are the rows of the run without windows.
   */
  @Test
  void allStreamsWindowsAreIdenticalEverywhere() {
    ConnBal.Analyze analyze =
        ConnBal.analyze().withAllStreams(true).withWindow(Duration.standardSeconds(5));
    ConnBalRun.Output reference = direct(analyze);
    assertThat(reference.tsvDocuments().size(), greaterThan(1));
    assertThat(
        WindowedRunTest.sums(reference.rows()),
        equalTo(WindowedRunTest.sums(direct(ConnBal.analyze().withAllStreams(true)).rows())));
    for (ConnBalRun.Output other :
        List.of(
            direct(analyze.withTimelineShardCount(1).withDesiredSplitSize(64)),
            flink(2, analyze.withDesiredSplitSize(64)))) {
      assertThat(
          new TreeSet<>(other.tsvDocuments()), equalTo(new TreeSet<>(reference.tsvDocuments())));
      assertThat(other.report(), equalTo(reference.report()));
    }
  }
}
