package dev.connbal.transforms;

import java.util.List;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.WindowingStrategy;

/**
 * A collection and one element more: how the analysis gives a combine or a side input at least one
 * element without relying on a default value.
 *
 * <pre>{@code
 * rows.apply("NoRows", WithOneMore.element(List.<TsvRow>of()))
 *     .apply("SortedTsv", Combine.globally(new TsvDocumentFn(format)).withoutDefaults());
 * }</pre>
 *
 * <p>Why not {@code Combine.globally}'s default: it reads the combined value back through a side
 * input, which may be empty, and Beam 2.62's Direct runner can leave an element waiting forever for
 * an empty side input (see {@link ConnBal}'s class comment and SideInputsTest). The extra element
 * must be neutral for what follows: an empty batch, an all-zero report.
 */
public final class WithOneMore<T> extends PTransform<PCollection<T>, PCollection<T>> {
  private final T extra;

  private WithOneMore(T extra) {
    this.extra = extra;
  }

  /** The input and {@code extra}, which is encoded with the input's coder. */
  public static <T> WithOneMore<T> element(T extra) {
    if (extra == null) {
      throw new IllegalArgumentException("the extra element must not be null");
    }
    return new WithOneMore<>(extra);
  }

  @Override
  public PCollection<T> expand(PCollection<T> input) {
    PCollection<T> one =
        input
            .getPipeline()
            // Create.of(List.of(x)): Create.of(x) would take a list's elements as the values.
            .apply("Extra", Create.of(List.of(extra)).withCoder(input.getCoder()));
    WindowingStrategy<?, ?> rest = input.getWindowingStrategy();
    if (!(rest.getTrigger() instanceof DefaultTrigger)) {
      // Flatten wants one trigger: the extra element fires as the rest does (WholeRun's, say).
      Window<T> like =
          Window.<T>configure()
              .triggering(rest.getTrigger())
              .withAllowedLateness(rest.getAllowedLateness());
      one =
          one.apply(
              "LikeTheRest",
              rest.getMode() == WindowingStrategy.AccumulationMode.ACCUMULATING_FIRED_PANES
                  ? like.accumulatingFiredPanes()
                  : like.discardingFiredPanes());
    }
    return PCollectionList.of(one).and(input).apply("AndTheRest", Flatten.pCollections());
  }
}
