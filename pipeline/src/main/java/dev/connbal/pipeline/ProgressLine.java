package dev.connbal.pipeline;

import dev.connbal.snoop.SnoopIO;
import java.io.PrintStream;
import java.util.Locale;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.joda.time.Duration;

/**
 * Waits for a running pipeline while showing, on one terminal line that it rewrites, how many
 * capture bytes SnoopIO has read of the total, the rate and the elapsed time. The numbers come from
 * SnoopIO's byte counters (namespace {@code connbal.snoop}: bytes of good records plus bytes
 * skipped as damaged, which together cover every byte after a file's header), polled through the
 * runner's metrics; a runner that only reports metrics at the end simply shows no progress.
 */
final class ProgressLine {
  static final String NAMESPACE = SnoopIO.METRICS_NAMESPACE;
  static final String RECORD_BYTES = "recordBytes";
  static final String BYTES_SKIPPED = "bytesSkipped";

  private static final Duration POLL = Duration.millis(500);
  private static final MetricsFilter BYTES_READ =
      MetricsFilter.builder()
          .addNameFilter(MetricNameFilter.named(NAMESPACE, RECORD_BYTES))
          .addNameFilter(MetricNameFilter.named(NAMESPACE, BYTES_SKIPPED))
          .build();

  private final PrintStream terminal;
  private final long totalBytes;
  private int lastWidth;

  /**
   * {@code captureBytes}: the bytes after the file headers, summed over the captures; {@code
   * readPasses}: how many times the run reads each capture ({@link
   * dev.connbal.transforms.ConnBal#readPasses}).
   */
  ProgressLine(PrintStream terminal, long captureBytes, int readPasses) {
    this.terminal = terminal;
    this.totalBytes = captureBytes * readPasses;
  }

  /** Waits until {@code result} is finished, updating the line meanwhile; then erases it. */
  PipelineResult.State waitUntilFinish(PipelineResult result) {
    long start = System.nanoTime();
    PipelineResult.State state = result.getState();
    while (state == null || !state.isTerminal()) {
      state = result.waitUntilFinish(POLL);
      long bytes = bytesRead(result);
      if (bytes >= 0) {
        show(format(bytes, totalBytes, (System.nanoTime() - start) / 1_000_000_000.0));
      }
    }
    show("");
    return state;
  }

  private void show(String line) {
    StringBuilder text = new StringBuilder("\r").append(line);
    for (int i = line.length(); i < lastWidth; i++) {
      text.append(' ');
    }
    if (line.isEmpty()) {
      text.append('\r');
    }
    lastWidth = line.length();
    terminal.print(text);
    terminal.flush();
  }

  /** Bytes read so far, or -1 when the runner does not report metrics while running. */
  private static long bytesRead(PipelineResult result) {
    try {
      MetricQueryResults metrics = result.metrics().queryMetrics(BYTES_READ);
      long sum = 0;
      for (MetricResult<Long> counter : metrics.getCounters()) {
        sum += counter.getAttempted();
      }
      return sum;
    } catch (UnsupportedOperationException | IllegalStateException e) {
      return -1;
    }
  }

  static String format(long bytes, long total, double elapsedSeconds) {
    double rate = elapsedSeconds > 0 ? bytes / elapsedSeconds : 0;
    String percent = total > 0 ? String.format(Locale.ROOT, " (%d%%)", bytes * 100 / total) : "";
    long seconds = (long) elapsedSeconds;
    return String.format(
        Locale.ROOT,
        "connbal: read %s of %s%s, %s/s, %d:%02d elapsed",
        size(bytes),
        size(total),
        percent,
        size((long) rate),
        seconds / 60,
        seconds % 60);
  }

  static String size(long bytes) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    double value = bytes;
    int unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }
}
