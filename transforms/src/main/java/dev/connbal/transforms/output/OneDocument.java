package dev.connbal.transforms.output;

import dev.connbal.transforms.WithOneMore;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;

/**
 * Gathers a collection in one place and renders it as one text document: exactly one element (per
 * window), also when the collection is empty. What every document of connbal is made with; the
 * elements are results (rows, summaries), never one per packet, so one place holds them all.
 *
 * <p>An empty batch more stands in for Combine's default value, which a runner reads back through a
 * side input (see {@link WithOneMore}).
 */
public final class OneDocument<T> extends PTransform<PCollection<T>, PCollection<String>> {
  /** Renders all elements (in no particular order) as the document's text. */
  @FunctionalInterface
  public interface Renderer<T> extends Serializable {
    String render(List<T> elements);
  }

  private final String format;
  private final Renderer<T> renderer;

  private OneDocument(String format, Renderer<T> renderer) {
    this.format = format;
    this.renderer = renderer;
  }

  /** The document {@code renderer} makes of all elements; {@code format} names it in the graph. */
  public static <T> OneDocument<T> of(String format, Renderer<T> renderer) {
    if (format == null || format.isEmpty() || renderer == null) {
      throw new IllegalArgumentException("a document needs a format name and a renderer");
    }
    return new OneDocument<>(format, renderer);
  }

  @Override
  public PCollection<String> expand(PCollection<T> elements) {
    Coder<List<T>> batchCoder = ListCoder.of(elements.getCoder());
    return elements
        .apply("AsBatches", ParDo.of(new AsBatchFn<T>()))
        .setCoder(batchCoder)
        .apply("NoElements", WithOneMore.element(List.<T>of()))
        .apply("Document", Combine.globally(new GatherFn<>(renderer)).withoutDefaults())
        .setCoder(StringUtf8Coder.of());
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("format", format).withLabel("Document format"));
  }

  /** Each element as a batch of one, which the combine appends to its list. */
  private static final class AsBatchFn<T> extends DoFn<T, List<T>> {
    @ProcessElement
    public void process(@Element T element, OutputReceiver<List<T>> out) {
      out.output(List.of(element));
    }
  }

  /** Gathers the batches and renders them. */
  private static final class GatherFn<T> extends Combine.CombineFn<List<T>, List<T>, String> {
    private final Renderer<T> renderer;

    GatherFn(Renderer<T> renderer) {
      this.renderer = renderer;
    }

    @Override
    public List<T> createAccumulator() {
      return new ArrayList<>();
    }

    @Override
    public List<T> addInput(List<T> all, List<T> batch) {
      all.addAll(batch);
      return all;
    }

    @Override
    public List<T> mergeAccumulators(Iterable<List<T>> accumulators) {
      List<T> all = new ArrayList<>();
      accumulators.forEach(all::addAll);
      return all;
    }

    @Override
    public String extractOutput(List<T> all) {
      return renderer.render(all);
    }

    @Override
    public Coder<List<T>> getAccumulatorCoder(CoderRegistry registry, Coder<List<T>> inputCoder) {
      return inputCoder;
    }
  }
}
