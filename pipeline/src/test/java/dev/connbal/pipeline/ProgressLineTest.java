package dev.connbal.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricKey;
import org.apache.beam.sdk.metrics.MetricName;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricResults;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressLineTest {
  @Test
  void showsBytesOfTotalPercentRateAndElapsedTime() {
    assertThat(
        ProgressLine.format(3L << 30, 12L << 30, 125.0),
        equalTo("connbal: read 3.0 GiB of 12.0 GiB (25%), 24.6 MiB/s, 2:05 elapsed"));
  }

  @Test
  void smallAndEmptyTotals() {
    assertThat(
        ProgressLine.format(0, 0, 0), equalTo("connbal: read 0 B of 0 B, 0 B/s, 0:00 elapsed"));
    assertThat(ProgressLine.size(1023), equalTo("1023 B"));
    assertThat(ProgressLine.size(1536), equalTo("1.5 KiB"));
  }

  @Test
  void rewritesOneLineFromSnoopByteCountersUntilTheRunEndsThenErasesIt() {
    // Two captures of 1 KiB, read twice (-a: DNS pass and TCP pass): 4 KiB in all.
    FakeRun run = new FakeRun(List.of(1024L, 3072L, 4096L));
    ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    PipelineResult.State state =
        new ProgressLine(new PrintStream(terminal, true, StandardCharsets.UTF_8), 2048, 2)
            .waitUntilFinish(run);
    assertThat(state, is(PipelineResult.State.DONE));
    String shown = terminal.toString(StandardCharsets.UTF_8);
    assertThat(shown, containsString("\rconnbal: read 1.0 KiB of 4.0 KiB (25%), "));
    assertThat(shown, containsString("\rconnbal: read 3.0 KiB of 4.0 KiB (75%), "));
    assertThat(shown, containsString("\rconnbal: read 4.0 KiB of 4.0 KiB (100%), "));
    assertThat("erased at the end", shown, endsWith(" \r"));
    assertThat(shown, is(shown.replace("\n", "")));
  }

  /** A run that reports the given byte counts, one per poll, and is done after the last. */
  private static final class FakeRun implements PipelineResult {
    private final Deque<Long> bytes;
    private long current;

    FakeRun(List<Long> bytes) {
      this.bytes = new ArrayDeque<>(bytes);
    }

    @Override
    public State getState() {
      return bytes.isEmpty() ? State.DONE : State.RUNNING;
    }

    @Override
    public State waitUntilFinish(Duration duration) {
      current = bytes.removeFirst();
      return getState();
    }

    @Override
    public State waitUntilFinish() {
      throw new UnsupportedOperationException();
    }

    @Override
    public State cancel() {
      throw new UnsupportedOperationException();
    }

    @Override
    public MetricResults metrics() {
      return new MetricResults() {
        @Override
        public MetricQueryResults queryMetrics(MetricsFilter filter) {
          // Good record bytes and skipped bytes, from two steps (the two read passes).
          MetricResult<Long> records =
              MetricResult.attempted(
                  MetricKey.create(
                      "ReadCaptures",
                      MetricName.named(ProgressLine.NAMESPACE, ProgressLine.RECORD_BYTES)),
                  current - 100);
          MetricResult<Long> skipped =
              MetricResult.attempted(
                  MetricKey.create(
                      "ReadCapturesForTcp",
                      MetricName.named(ProgressLine.NAMESPACE, ProgressLine.BYTES_SKIPPED)),
                  100L);
          return MetricQueryResults.create(
              List.of(records, skipped), List.of(), List.of(), List.of());
        }
      };
    }
  }
}
