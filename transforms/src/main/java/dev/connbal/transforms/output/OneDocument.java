package dev.connbal.transforms.output;

import dev.connbal.transforms.WithOneMore;
import dev.connbal.transforms.keys.EncodedBatches;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.PCollection;

/**
 * Gathers a collection in one place and renders it as one text document: exactly one element, also
 * when the collection is empty; of a windowed collection, one per window that has elements. What
 * every document of connbal is made with; the elements are results (rows, summaries), never one per
 * packet, so one place holds them all.
 *
 * <p>Each bundle's elements travel as one batch encoded into a byte array ({@link EncodedBatches}),
 * cheap for a runner to copy. In the global window an empty batch more stands in for Combine's
 * default value, which a runner reads back through a side input (see {@link WithOneMore}).
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
    Coder<List<T>> batchCoder = EncodedBatches.batchCoder(elements.getCoder());
    byte[] noElements;
    try {
      noElements = CoderUtils.encodeToByteArray(batchCoder, List.of());
    } catch (CoderException e) {
      throw new IllegalStateException("cannot encode an empty batch", e);
    }
    PCollection<byte[]> batches =
        elements
            .apply("Batches", EncodedBatches.byShard(element -> 0))
            .apply("WithoutKeys", Values.create())
            .setCoder(ByteArrayCoder.of());
    if (elements.getWindowingStrategy().getWindowFn() instanceof GlobalWindows) {
      batches = batches.apply("NoElements", WithOneMore.element(noElements));
    }
    return batches
        .apply("Document", Combine.globally(new GatherFn<>(batchCoder, renderer)).withoutDefaults())
        .setCoder(StringUtf8Coder.of());
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("format", format).withLabel("Document format"));
  }

  /** Gathers the encoded batches, and decodes and renders them once, at the end. */
  private static final class GatherFn<T> extends Combine.CombineFn<byte[], List<byte[]>, String> {
    private final Coder<List<T>> batchCoder;
    private final Renderer<T> renderer;

    GatherFn(Coder<List<T>> batchCoder, Renderer<T> renderer) {
      this.batchCoder = batchCoder;
      this.renderer = renderer;
    }

    @Override
    public List<byte[]> createAccumulator() {
      return new ArrayList<>();
    }

    @Override
    public List<byte[]> addInput(List<byte[]> all, byte[] batch) {
      all.add(batch);
      return all;
    }

    @Override
    public List<byte[]> mergeAccumulators(Iterable<List<byte[]>> accumulators) {
      List<byte[]> all = new ArrayList<>();
      accumulators.forEach(all::addAll);
      return all;
    }

    @Override
    public String extractOutput(List<byte[]> batches) {
      return renderer.render(EncodedBatches.decodeAll(batchCoder, batches));
    }

    @Override
    public Coder<List<byte[]>> getAccumulatorCoder(
        CoderRegistry registry, Coder<byte[]> inputCoder) {
      return ListCoder.of(ByteArrayCoder.of());
    }
  }
}
