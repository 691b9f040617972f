package dev.connbal.pipeline;

import java.util.List;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.options.StreamingOptions;

/**
 * connbal's runner defaults. Which runner: the Direct runner, unless the input is larger than
 * {@link #DIRECT_RUNNER_MAX_INPUT_BYTES} or is read in more than {@link #DIRECT_RUNNER_MAX_RANGES}
 * byte ranges (large files at a small split size), then embedded Flink. The Direct runner starts
 * faster and reports progress while it runs, but its memory grows with the input, and its grouping
 * copies a key's values through their coder whenever another bundle of them arrives: every range
 * adds a bundle to each timeline and join shard, so its cost grows with the square of the ranges
 * (bench/RESULTS.md has the figures). Small files are read in batches of about the split size, a
 * range each ({@code InputFiles#ranges}), so many small captures stay on the Direct runner. Its
 * immutability and encodability checks copy every element and are for testing DoFns, not for
 * analysing captures, so they are off. It runs {@value #DIRECT_RUNNER_WORKER_THREADS} worker
 * thread: its driver loop runs on the same thread pool as the work and polls for more without pause
 * whenever a thread of the pool has none, so with two threads it spun on one core for as long as a
 * single long bundle (a DNS timeline) ran on the other, taking that core from the timeline's own
 * reading thread; with one it runs between bundles. With one thread, ranges read nothing in
 * parallel, yet each adds a bundle whose arrival makes the groupings copy all the values before it:
 * a bounded run reads in ranges of {@link #DIRECT_RUNNER_SPLIT_SIZE} unless a split size is given.
 * It pays per shuffle key and step, so it gets {@value #DIRECT_RUNNER_SHARDS_PER_THREAD} shards per
 * worker thread instead of 256, and one DNS timeline (which already runs on two threads; a split
 * adds the SRV learning pass's steps). Flink: connbal's DoFns never modify their inputs, so Flink
 * need not copy elements between operators ({@code fasterCopy}); {@value
 * #FLINK_TIMELINE_SHARDS_PER_SLOT} DNS timeline shards per slot when the parallelism is known.
 * Options given on the command line win.
 */
final class RunnerDefaults {
  private RunnerDefaults() {}

  static final int DIRECT_RUNNER_SHARDS_PER_THREAD = 4;

  /** The Direct runner's worker threads ({@code --targetParallelism}) unless given. */
  static final int DIRECT_RUNNER_WORKER_THREADS = 1;

  /**
   * DNS timeline shards per Flink slot when the parallelism is known: enough for Flink's key groups
   * to spread them evenly over the slots, and no more, since every range outputs a partial per
   * shard.
   */
  static final int FLINK_TIMELINE_SHARDS_PER_SLOT = 32;

  /**
   * The Direct runner's split size for a bounded run unless one is given: four ranges at the
   * largest input it is chosen for. Not one range: a range's encoded DNS events are held whole
   * while it is read, and grow with it.
   */
  static final long DIRECT_RUNNER_SPLIT_SIZE = 512L << 20;

  /** Inputs larger than this run on embedded Flink unless a runner is given. */
  static final long DIRECT_RUNNER_MAX_INPUT_BYTES = 2L << 30;

  /** Inputs read in more byte ranges than this run on embedded Flink unless a runner is given. */
  static final long DIRECT_RUNNER_MAX_RANGES = 256;

  /**
   * Applies the defaults to {@code options} for a run over {@code inputBytes} bytes of captures
   * read in {@code ranges} byte ranges at the split size of {@code options}, which was given on the
   * command line when {@code splitSizeGiven}.
   *
   * @return true if the runner was chosen here because of the input's size or ranges
   */
  static boolean apply(
      ConnBalOptions options,
      List<String> pipelineArgs,
      boolean liveProgress,
      boolean splitSizeGiven,
      long inputBytes,
      long ranges) {
    boolean chosenForSize = false;
    if (!given(pipelineArgs, "runner")
        && (inputBytes > DIRECT_RUNNER_MAX_INPUT_BYTES || ranges > DIRECT_RUNNER_MAX_RANGES)) {
      options.setRunner(FlinkRunner.class);
      chosenForSize = true;
    }
    if (FlinkRunner.class.equals(options.getRunner())) {
      FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
      if (!given(pipelineArgs, "fasterCopy")) {
        flink.setFasterCopy(true);
      }
      int parallelism = EmbeddedFlinkConfig.parallelism(flink);
      if (!given(pipelineArgs, "timelineShards") && parallelism > 0) {
        options.setTimelineShards(FLINK_TIMELINE_SHARDS_PER_SLOT * parallelism);
      }
      return chosenForSize;
    }
    if (!DirectRunner.class.equals(options.getRunner())) {
      return chosenForSize;
    }
    DirectOptions direct = options.as(DirectOptions.class);
    if (!given(pipelineArgs, "enforceImmutability")) {
      direct.setEnforceImmutability(false);
    }
    if (!given(pipelineArgs, "enforceEncodability")) {
      direct.setEnforceEncodability(false);
    }
    if (!given(pipelineArgs, "targetParallelism")) {
      direct.setTargetParallelism(DIRECT_RUNNER_WORKER_THREADS);
    }
    if (!given(pipelineArgs, "shardCount")) {
      options.setShardCount(DIRECT_RUNNER_SHARDS_PER_THREAD * direct.getTargetParallelism());
    }
    if (!given(pipelineArgs, "timelineShards")) {
      options.setTimelineShards(1);
    }
    if (!splitSizeGiven
        && direct.getTargetParallelism() == 1
        && !options.as(StreamingOptions.class).isStreaming()) {
      options.setSplitSize(Math.max(options.getSplitSize(), DIRECT_RUNNER_SPLIT_SIZE));
    }
    if (liveProgress && !given(pipelineArgs, "blockOnRun")) {
      // run() must return while the pipeline runs, so that its metrics can be polled.
      direct.setBlockOnRun(false);
    }
    return chosenForSize;
  }

  /** Whether {@code --NAME} or {@code --NAME=value} is among {@code pipelineArgs}. */
  static boolean given(List<String> pipelineArgs, String name) {
    String flag = "--" + name;
    return pipelineArgs.stream().anyMatch(a -> a.equals(flag) || a.startsWith(flag + "="));
  }
}
