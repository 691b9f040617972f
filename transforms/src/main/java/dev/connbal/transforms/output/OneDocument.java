package dev.connbal.transforms.output;

import dev.connbal.transforms.WithOneMore;
import dev.connbal.transforms.keys.EncodedBatches;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Gathers a collection in one place and renders it as one text document: exactly one element, also
 * when the collection is empty; of a windowed collection, one per window that has elements. What
 * every document of connbal is made with; the elements are results (rows, summaries), never one per
 * packet, so one place holds them all.
 *
 * <p>Each bundle's elements travel as one batch encoded into a byte array ({@link EncodedBatches}),
 * cheap for a runner to copy. In the global window an empty batch more makes the document of no
 * elements (where a combine's default value would be read back through a side input: see {@link
 * WithOneMore}).
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
    PCollection<KV<Integer, byte[]>> batches =
        elements.apply("Batches", EncodedBatches.byShard(element -> 0));
    if (elements.getWindowingStrategy().getWindowFn() instanceof GlobalWindows) {
      batches = batches.apply("NoElements", WithOneMore.element(KV.of(0, noElements)));
    }
    // Grouped, not combined: a combine's partial results are single records of all the rows a task
    // saw, and Flink fails a record larger than its sort buffer (a few MB); the batches are small.
    return batches
        .apply("Gather", GroupByKey.create())
        .apply("Document", ParDo.of(new RenderFn<>(batchCoder, renderer)))
        .setCoder(StringUtf8Coder.of());
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("format", format).withLabel("Document format"));
  }

  /** Decodes the gathered batches and renders them, once per window and pane. */
  private static final class RenderFn<T> extends DoFn<KV<Integer, Iterable<byte[]>>, String> {
    private final Coder<List<T>> batchCoder;
    private final Renderer<T> renderer;

    RenderFn(Coder<List<T>> batchCoder, Renderer<T> renderer) {
      this.batchCoder = batchCoder;
      this.renderer = renderer;
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, Iterable<byte[]>> gathered, OutputReceiver<String> out) {
      List<byte[]> batches = new ArrayList<>();
      gathered.getValue().forEach(batches::add);
      out.output(renderer.render(EncodedBatches.decodeAll(batchCoder, batches)));
    }
  }
}
