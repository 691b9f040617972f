package dev.connbal.snoop;

import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;

/**
 * A run's elements in the global window, to be combined once the whole input is read: for a bounded
 * input as they are; for an unbounded one (a watch) with a trigger that fires once, when the
 * watermark passes the end of the global window, which is when the watch ends. Beam refuses to
 * group an unbounded collection in the global window without a trigger, and the run's totals (the
 * report, the files with errors) are wanted once, at the end.
 */
public final class WholeRun<T> extends PTransform<PCollection<T>, PCollection<T>> {
  private WholeRun() {}

  public static <T> WholeRun<T> of() {
    return new WholeRun<>();
  }

  @Override
  public PCollection<T> expand(PCollection<T> input) {
    if (input.isBounded() == PCollection.IsBounded.BOUNDED) {
      return input;
    }
    return input.apply(
        "AtTheEnd",
        Window.<T>configure()
            // Repeatedly: a trigger that finishes would lose what comes within the allowed
            // lateness, which Beam refuses; nothing comes after the end of the global window.
            .triggering(Repeatedly.forever(AfterWatermark.pastEndOfWindow()))
            .discardingFiredPanes());
  }
}
