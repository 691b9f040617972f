package dev.connbal.transforms.timeline;

import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/**
 * Merges every client shard's knowledge of one shard of SRV targets into what the timelines read
 * ({@link SrvKnowledge#complete}), and outputs it in pieces of at most {@link
 * LearnSrvFn#RECORDS_PER_PIECE} SRV records.
 */
public final class CompleteSrvKnowledgeFn
    extends DoFn<KV<Integer, Iterable<SrvKnowledge>>, SrvKnowledge> {
  @ProcessElement
  public void process(
      @Element KV<Integer, Iterable<SrvKnowledge>> targets, OutputReceiver<SrvKnowledge> out) {
    SrvKnowledge.complete(targets.getValue())
        .pieces(LearnSrvFn.RECORDS_PER_PIECE)
        .forEach(out::output);
  }
}
