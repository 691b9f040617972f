package dev.connbal.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import dev.connbal.snoop.WatchCaptures;
import dev.connbal.transforms.report.ConnBalMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.StreamingOptions;
import org.joda.time.Duration;

/**
 * Two watches in one pipeline on the Direct runner in streaming mode, one of the first half of a
 * directory's captures ({@code first-*.snoop}) and one of all of them, each analysed in steps of
 * its own, so that a state metric tells them apart by step: what the tests of a long watch's state
 * compare.
 */
final class LongWatches {
  private LongWatches() {}

  /**
   * Runs both watches of {@code dir} through {@code analyze} to their end; the distribution {@code
   * metric} of each ("FirstHalf", "Whole").
   */
  static Map<String, DistributionResult> run(Path dir, ConnBal.Analyze analyze, String metric) {
    DirectOptions options = ConnBalRun.fastDirectOptions().as(DirectOptions.class);
    options.as(StreamingOptions.class).setStreaming(true);
    options.setBlockOnRun(false);
    Pipeline p = Pipeline.create(options);
    watch(p, "FirstHalf", dir.resolve("first-*.snoop"), analyze);
    watch(p, "Whole", dir.resolve("*.snoop"), analyze);
    PipelineResult run = p.run();
    PipelineResult.State state = run.waitUntilFinish(Duration.standardMinutes(4));
    if (state == null || !state.isTerminal()) {
      try {
        run.cancel();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    assertThat("the watches ended", state, is(PipelineResult.State.DONE));
    return byWatch(run, metric);
  }

  private static void watch(Pipeline p, String name, Path pattern, ConnBal.Analyze analyze) {
    p.apply(
            "Watch" + name,
            WatchCaptures.of(List.of(pattern.toString()))
                .withPollInterval(Duration.millis(200))
                .withStopAfterIdle(Duration.standardSeconds(2)))
        .apply("Open" + name, FileIO.readMatches())
        .apply(name, analyze);
  }

  /** The distribution {@code metric} of each watch, by the name of its analysis step. */
  private static Map<String, DistributionResult> byWatch(PipelineResult run, String metric) {
    Map<String, DistributionResult> byWatch = new HashMap<>();
    for (MetricResult<DistributionResult> d :
        run.metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(ConnBalMetrics.NAMESPACE, metric))
                    .build())
            .getDistributions()) {
      String step = d.getKey().stepName();
      byWatch.merge(
          step.substring(0, step.indexOf('/')),
          d.getAttempted(),
          (x, y) ->
              DistributionResult.create(
                  x.getSum() + y.getSum(),
                  x.getCount() + y.getCount(),
                  Math.min(x.getMin(), y.getMin()),
                  Math.max(x.getMax(), y.getMax())));
    }
    return byWatch;
  }
}
