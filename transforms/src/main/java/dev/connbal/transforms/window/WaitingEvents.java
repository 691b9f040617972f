package dev.connbal.transforms.window;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.TimestampedValue;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * Events that wait in a bag until an event-time timer says that time has passed them ({@link
 * ShardTimelineFn}, {@link TrackStreamsFn}): a bag and not Beam's {@code OrderedListState}, which
 * Beam 2.62's Flink runner keeps as one element per millisecond (apache/beam#39782).
 */
final class WaitingEvents {
  private WaitingEvents() {}

  /**
   * The events time has passed, in order, and the earliest of those that still wait (null when none
   * do).
   */
  record Passed<T>(List<TimestampedValue<T>> passed, @Nullable Instant earliestLeft) {}

  /**
   * Takes the events before {@code now} out of {@code waiting}, sorted by {@code order}; the others
   * stay.
   */
  static <T> Passed<T> takePassed(
      BagState<TimestampedValue<T>> waiting, Instant now, Comparator<? super T> order) {
    List<TimestampedValue<T>> passed = new ArrayList<>();
    List<TimestampedValue<T>> later = new ArrayList<>();
    Instant earliest = null;
    for (TimestampedValue<T> e : waiting.read()) {
      if (e.getTimestamp().isBefore(now)) {
        passed.add(e);
      } else {
        later.add(e);
        earliest =
            earliest == null || e.getTimestamp().isBefore(earliest) ? e.getTimestamp() : earliest;
      }
    }
    passed.sort(
        Comparator.<TimestampedValue<T>, Instant>comparing(TimestampedValue::getTimestamp)
            .thenComparing(TimestampedValue::getValue, order));
    if (!passed.isEmpty()) {
      waiting.clear();
      later.forEach(waiting::add);
    }
    return new Passed<>(passed, earliest);
  }

  /**
   * When the timer must fire for an event at {@code t} in {@code window} (the element's): over a
   * stream at the end of the event's own window of {@code windowMillis}; over captures read at once
   * ({@code boundedInput}) at the end of {@code window}, once every event is in, in one firing.
   * Capture time says nothing of reading order there: a runner may move the watermark past an event
   * before a later file, or the TCP reassembly, yields an earlier one.
   */
  static long wakeFor(Instant t, BoundedWindow window, boolean boundedInput, long windowMillis) {
    return boundedInput
        ? window.maxTimestamp().getMillis()
        : Math.floorDiv(t.getMillis(), windowMillis) * windowMillis + windowMillis;
  }

  /**
   * Sets {@code advance} to fire at {@code at} (milliseconds), holding the output watermark at the
   * earlier of {@code hold} and {@code at}, and notes both in state.
   */
  static void setTimer(
      Timer advance, ValueState<Long> wakeAt, ValueState<Long> holdAt, long at, long hold) {
    long held = Math.min(hold, at);
    advance.withOutputTimestamp(Instant.ofEpochMilli(held)).set(Instant.ofEpochMilli(at));
    wakeAt.write(at);
    holdAt.write(held);
  }
}
