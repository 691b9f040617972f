package dev.connbal.transforms;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.transforms.Distinct;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PValue;

/**
 * Counts the distinct keys of every shuffle of a pipeline: for each {@link GroupByKey} in it (also
 * those inside {@code CoGroupByKey}, {@code Combine} and {@code Distinct}), the keys of its input
 * are de-duplicated on a branch of their own and counted in a counter of namespace {@value
 * #NAMESPACE} named after the step. Shuffles without elements have no counter.
 */
final class ShuffleKeys {
  static final String NAMESPACE = "shuffleKeys";

  private ShuffleKeys() {}

  /** Adds the counting branches to {@code pipeline}, which must not have run. */
  static void countIn(Pipeline pipeline) {
    List<KV<String, PCollection<?>>> shuffles = new ArrayList<>();
    pipeline.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public void visitPrimitiveTransform(TransformHierarchy.Node node) {
            if (node.getTransform() instanceof GroupByKey) {
              PValue input = node.getInputs().values().iterator().next();
              shuffles.add(KV.of(node.getFullName(), (PCollection<?>) input));
            }
          }
        });
    if (shuffles.isEmpty()) {
      throw new IllegalStateException("the pipeline has no GroupByKey");
    }
    for (int i = 0; i < shuffles.size(); i++) {
      countKeys("ShuffleKeys" + i, shuffles.get(i).getKey(), shuffles.get(i).getValue());
    }
  }

  @SuppressWarnings("unchecked") // a GroupByKey's input is a PCollection<KV<K, V>> with a KvCoder
  private static <K, V> void countKeys(String stepName, String shuffle, PCollection<?> input) {
    PCollection<KV<K, V>> pairs = (PCollection<KV<K, V>>) input;
    Coder<K> keyCoder = ((KvCoder<K, V>) pairs.getCoder()).getKeyCoder();
    pairs
        .apply(stepName + "Keys", ParDo.of(new KeyFn<K, V>()))
        .setCoder(keyCoder)
        .apply(stepName + "Distinct", Distinct.create())
        .apply(stepName + "Count", ParDo.of(new CountFn<K>(shuffle)));
  }

  private static final class KeyFn<K, V> extends DoFn<KV<K, V>, K> {
    @ProcessElement
    public void process(@Element KV<K, V> pair, OutputReceiver<K> out) {
      out.output(pair.getKey());
    }
  }

  private static final class CountFn<K> extends DoFn<K, Void> {
    private final Counter keys;

    CountFn(String shuffle) {
      this.keys = Metrics.counter(NAMESPACE, shuffle);
    }

    @ProcessElement
    public void process() {
      keys.inc();
    }
  }
}
