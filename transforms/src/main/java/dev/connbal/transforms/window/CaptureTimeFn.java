package dev.connbal.transforms.window;

import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Stamps each keyed event with its capture time (to the millisecond), which is earlier than the
 * file it comes from.
 */
final class CaptureTimeFn<K, V> extends DoFn<KV<K, V>, KV<K, V>> {
  private final SerializableFunction<V, Long> timeMicros;

  CaptureTimeFn(SerializableFunction<V, Long> timeMicros) {
    this.timeMicros = timeMicros;
  }

  @ProcessElement
  public void process(@Element KV<K, V> e, OutputReceiver<KV<K, V>> out) {
    out.outputWithTimestamp(
        e, Instant.ofEpochMilli(Math.floorDiv(timeMicros.apply(e.getValue()), 1000)));
  }

  @Override
  @SuppressWarnings("deprecation") // the documented way to output earlier than the input
  public Duration getAllowedTimestampSkew() {
    return Duration.millis(Long.MAX_VALUE);
  }
}
