package dev.connbal.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import dev.connbal.snoop.SnoopIO;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunnerDefaultsTest {
  private static final long LARGE = RunnerDefaults.DIRECT_RUNNER_MAX_INPUT_BYTES + 1;

  private static ConnBalOptions options(String... args) {
    ConnBalCommand.registerOptions();
    return PipelineOptionsFactory.fromArgs(args).as(ConnBalOptions.class);
  }

  @Test
  void smallInputRunsOnTheDirectRunnerWithoutItsTestingChecks() {
    ConnBalOptions options = options();

    boolean chosenForSize =
        RunnerDefaults.apply(
            options,
            List.of(),
            false,
            false,
            RunnerDefaults.DIRECT_RUNNER_MAX_INPUT_BYTES,
            RunnerDefaults.DIRECT_RUNNER_MAX_RANGES);

    assertThat(chosenForSize, is(false));
    assertThat(options.getRunner(), equalTo(DirectRunner.class));
    DirectOptions direct = options.as(DirectOptions.class);
    assertThat(direct.isEnforceImmutability(), is(false));
    assertThat(direct.isEnforceEncodability(), is(false));
    assertThat(direct.getTargetParallelism(), is(1));
    assertThat(options.getShardCount(), is(RunnerDefaults.DIRECT_RUNNER_SHARDS_PER_THREAD));
    assertThat(options.getTimelineShards(), is(1));
    assertThat(options.getSplitSize(), is(RunnerDefaults.DIRECT_RUNNER_SPLIT_SIZE));
  }

  @Test
  void theDirectRunnerReadsInLargeRangesUnlessASplitSizeIsGivenOrItWatches() {
    ConnBalOptions given = options("--splitSize=1000");
    RunnerDefaults.apply(given, List.of("--splitSize=1000"), false, true, 1, 1);
    assertThat(given.getSplitSize(), is(1000L));

    ConnBalOptions watch = options("--streaming=true");
    RunnerDefaults.apply(watch, List.of(), false, false, 0, 0);
    assertThat(watch.getSplitSize(), is(SnoopIO.DEFAULT_DESIRED_SPLIT_SIZE));

    List<String> threads = List.of("--targetParallelism=2");
    ConnBalOptions two = options(threads.toArray(new String[0]));
    RunnerDefaults.apply(two, threads, false, false, 1, 1);
    assertThat(
        "ranges read in parallel", two.getSplitSize(), is(SnoopIO.DEFAULT_DESIRED_SPLIT_SIZE));

    ConnBalOptions flink = options();
    RunnerDefaults.apply(flink, List.of(), false, false, LARGE, 1);
    assertThat(flink.getSplitSize(), is(SnoopIO.DEFAULT_DESIRED_SPLIT_SIZE));
  }

  @Test
  void givenShardCountAndParallelismWinOnTheDirectRunner() {
    List<String> args = List.of("--targetParallelism=3", "--shardCount=5");
    ConnBalOptions options = options(args.toArray(new String[0]));

    RunnerDefaults.apply(options, args, false, false, 1, 1);

    assertThat(options.as(DirectOptions.class).getTargetParallelism(), is(3));
    assertThat(options.getShardCount(), is(5));
  }

  @Test
  void largeInputRunsOnEmbeddedFlink() {
    ConnBalOptions options = options();

    boolean chosenForSize = RunnerDefaults.apply(options, List.of(), false, false, LARGE, 1);

    assertThat(chosenForSize, is(true));
    assertThat(options.getRunner(), equalTo(FlinkRunner.class));
    assertThat(options.as(FlinkPipelineOptions.class).getFasterCopy(), is(true));
    assertThat(options.getShardCount(), is(256));
    // Embedded: one slot per core.
    assertThat(
        options.getTimelineShards(),
        is(
            RunnerDefaults.FLINK_TIMELINE_SHARDS_PER_SLOT
                * Runtime.getRuntime().availableProcessors()));
  }

  @Test
  void inputOfManyRangesRunsOnEmbeddedFlink() {
    ConnBalOptions options = options();

    boolean chosen = RunnerDefaults.apply(options, List.of(), false, false, 1 << 20, 257);

    assertThat(chosen, is(true));
    assertThat(options.getRunner(), equalTo(FlinkRunner.class));
  }

  @Test
  void thousandsOfSmallCapturesRunOnTheDirectRunner(@TempDir Path dir) throws IOException {
    // 2,000 captures of 57 KB (sparse files: only their sizes matter), 114 MB in all.
    for (int i = 0; i < 2000; i++) {
      try (RandomAccessFile part =
          new RandomAccessFile(dir.resolve(String.format("part-%05d.snoop", i)).toFile(), "rw")) {
        part.setLength(57_000);
      }
    }
    InputFiles inputs = InputFiles.match(List.of(dir.resolve("*.snoop").toString()));
    long split = SnoopIO.DEFAULT_DESIRED_SPLIT_SIZE;
    ConnBalOptions options = options();

    boolean chosen =
        RunnerDefaults.apply(
            options, List.of(), false, false, inputs.recordRegionBytes(), inputs.ranges(split));

    assertThat("batches of about 64 MiB", inputs.ranges(split), is(2L));
    assertThat(chosen, is(false));
    assertThat(options.getRunner(), equalTo(DirectRunner.class));
  }

  @Test
  void aFlinkClusterGetsTimelineShardsByItsParallelismWhenGiven() {
    List<String> cluster = List.of("--runner=FlinkRunner", "--flinkMaster=host:8081");
    ConnBalOptions undecided = options(cluster.toArray(new String[0]));
    RunnerDefaults.apply(undecided, cluster, false, false, 1, 1);
    assertThat("the cluster decides the parallelism", undecided.getTimelineShards(), is(256));

    List<String> eight =
        List.of("--runner=FlinkRunner", "--flinkMaster=host:8081", "--parallelism=8");
    ConnBalOptions options = options(eight.toArray(new String[0]));
    RunnerDefaults.apply(options, eight, false, false, 1, 1);
    assertThat(options.getTimelineShards(), is(8 * 32));

    List<String> given = List.of("--runner=FlinkRunner", "--parallelism=8", "--timelineShards=5");
    ConnBalOptions mine = options(given.toArray(new String[0]));
    RunnerDefaults.apply(mine, given, false, false, 1, 1);
    assertThat(mine.getTimelineShards(), is(5));
  }

  @Test
  void aGivenRunnerWinsWhateverTheInputSize() {
    ConnBalOptions options = options("--runner=DirectRunner");

    boolean chosenForSize =
        RunnerDefaults.apply(
            options, List.of("--runner=DirectRunner"), false, false, LARGE, 100_000);

    assertThat(chosenForSize, is(false));
    assertThat(options.getRunner(), equalTo(DirectRunner.class));
  }

  @Test
  void givenRunnerOptionsWin() {
    List<String> args = List.of("--enforceImmutability=true");
    ConnBalOptions options = options(args.toArray(new String[0]));

    RunnerDefaults.apply(options, args, false, false, 0, 0);

    assertThat(options.as(DirectOptions.class).isEnforceImmutability(), is(true));
  }
}
