package dev.connbal.transforms.keys;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * A bundle's elements, per window and shard, as one batch encoded with the collection's coder into
 * a byte array, keyed by the shard: what a grouping of many small elements should carry. The Direct
 * runner copies the values gathered under a key through their coder whenever another bundle of them
 * arrives, so grouping N elements that arrive in B bundles costs about B x N / 2 element copies; as
 * byte arrays, those copies are plain array copies, where each element with nested schema rows is a
 * conversion. {@link #decode} reads a batch back.
 *
 * <p>A batch holds at most {@link #MAX_ELEMENTS}: a runner's bundle may be a whole task's input
 * (Flink's batch mode), and a grouping that sorts (Flink's) fails a record larger than its sort
 * buffer, which may be a few hundred kB.
 */
public final class EncodedBatches<T>
    extends PTransform<PCollection<T>, PCollection<KV<Integer, byte[]>>> {
  /** The shard an element goes to. */
  @FunctionalInterface
  public interface ShardOf<T> extends Serializable {
    int shard(T element);
  }

  /** Elements in a batch at the most: rows and summaries, tens of kB encoded. */
  static final int MAX_ELEMENTS = 500;

  private final ShardOf<T> shardOf;

  private EncodedBatches(ShardOf<T> shardOf) {
    this.shardOf = shardOf;
  }

  /** Batches keyed by {@code shardOf} of their elements. */
  public static <T> EncodedBatches<T> byShard(ShardOf<T> shardOf) {
    if (shardOf == null) {
      throw new IllegalArgumentException("shardOf must not be null");
    }
    return new EncodedBatches<>(shardOf);
  }

  /** The coder of a batch of elements encoded with {@code elementCoder}. */
  public static <T> Coder<List<T>> batchCoder(Coder<T> elementCoder) {
    return ListCoder.of(elementCoder);
  }

  /** The elements of a batch that {@link #batchCoder} encoded. */
  public static <T> List<T> decode(Coder<List<T>> batchCoder, byte[] batch) {
    try {
      return CoderUtils.decodeFromByteArray(batchCoder, batch);
    } catch (CoderException e) {
      throw new IllegalStateException("cannot decode a batch", e);
    }
  }

  /** {@link #decode} of each batch, all elements in one list. */
  public static <T> List<T> decodeAll(Coder<List<T>> batchCoder, Iterable<byte[]> batches) {
    List<T> all = new ArrayList<>();
    batches.forEach(batch -> all.addAll(decode(batchCoder, batch)));
    return all;
  }

  @Override
  public PCollection<KV<Integer, byte[]>> expand(PCollection<T> elements) {
    return elements
        .apply("EncodeBatches", ParDo.of(new EncodeFn<>(batchCoder(elements.getCoder()), shardOf)))
        .setCoder(KvCoder.of(VarIntCoder.of(), ByteArrayCoder.of()));
  }

  /** Gathers a bundle's elements per window and shard; encodes each batch at the bundle's end. */
  private static final class EncodeFn<T> extends DoFn<T, KV<Integer, byte[]>> {
    private final Coder<List<T>> batchCoder;
    private final ShardOf<T> shardOf;
    private transient Map<KV<BoundedWindow, Integer>, List<T>> batches;

    EncodeFn(Coder<List<T>> batchCoder, ShardOf<T> shardOf) {
      this.batchCoder = batchCoder;
      this.shardOf = shardOf;
    }

    @StartBundle
    public void startBundle() {
      batches = new HashMap<>();
    }

    @ProcessElement
    public void process(
        @Element T element, BoundedWindow window, OutputReceiver<KV<Integer, byte[]>> out)
        throws CoderException {
      int shard = shardOf.shard(element);
      KV<BoundedWindow, Integer> key = KV.of(window, shard);
      List<T> batch = batches.computeIfAbsent(key, k -> new ArrayList<>());
      batch.add(element);
      if (batch.size() == MAX_ELEMENTS) {
        // Later than the element: a batch leaves at its window's end, as at the bundle's end.
        out.outputWithTimestamp(
            KV.of(shard, CoderUtils.encodeToByteArray(batchCoder, batch)), window.maxTimestamp());
        batches.remove(key);
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) throws CoderException {
      for (Map.Entry<KV<BoundedWindow, Integer>, List<T>> batch : batches.entrySet()) {
        BoundedWindow window = batch.getKey().getKey();
        context.output(
            KV.of(
                batch.getKey().getValue(),
                CoderUtils.encodeToByteArray(batchCoder, batch.getValue())),
            window.maxTimestamp(),
            window);
      }
      batches = null;
    }
  }
}
