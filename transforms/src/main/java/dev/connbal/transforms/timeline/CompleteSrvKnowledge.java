package dev.connbal.transforms.timeline;

import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/**
 * The two steps that make what the split timelines read from every client shard's SRV knowledge
 * ({@link SrvKnowledge#complete}), each in memory bounded by what it is given: first per shard of
 * targets and span of time, then per shard of targets over the spans' completions, which keep about
 * one record per target, port and span. Both output pieces of at most {@link
 * LearnSrvFn#RECORDS_PER_PIECE} SRV records.
 */
public final class CompleteSrvKnowledge {
  private CompleteSrvKnowledge() {}

  /** Completes one (target shard, span)'s knowledge; outputs it keyed by the target shard. */
  public static final class SpanFn
      extends DoFn<KV<KV<Integer, Long>, Iterable<SrvKnowledge>>, KV<Integer, SrvKnowledge>> {
    @ProcessElement
    public void process(
        @Element KV<KV<Integer, Long>, Iterable<SrvKnowledge>> span,
        OutputReceiver<KV<Integer, SrvKnowledge>> out) {
      int targetShard = span.getKey().getKey();
      SrvKnowledge.complete(span.getValue())
          .pieces(LearnSrvFn.RECORDS_PER_PIECE)
          .forEach(piece -> out.output(KV.of(targetShard, piece)));
    }
  }

  /** Completes one target shard's spans into what the timelines read. */
  public static final class TargetsFn
      extends DoFn<KV<Integer, Iterable<SrvKnowledge>>, SrvKnowledge> {
    @ProcessElement
    public void process(
        @Element KV<Integer, Iterable<SrvKnowledge>> spans, OutputReceiver<SrvKnowledge> out) {
      SrvKnowledge.complete(spans.getValue())
          .pieces(LearnSrvFn.RECORDS_PER_PIECE)
          .forEach(out::output);
    }
  }
}
