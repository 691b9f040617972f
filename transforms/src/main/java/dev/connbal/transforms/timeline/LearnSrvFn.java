package dev.connbal.transforms.timeline;

import dev.connbal.transforms.events.DnsEvent;
import dev.connbal.transforms.events.DnsNameTable;
import dev.connbal.transforms.events.DnsPartial;
import dev.connbal.transforms.keys.Shards;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/**
 * Runs the {@link SrvLearner} over one client shard's events of SRV names, merged into timeline
 * order, and outputs what they teach keyed by the shard of each target and the span of time of each
 * record ({@link SrvKnowledge#byTargetAndSpan}), in {@link SrvKnowledge#pieces pieces} of at most
 * {@link #RECORDS_PER_PIECE} SRV records. Those events are few, so they are merged from memory.
 */
public final class LearnSrvFn
    extends DoFn<KV<Integer, Iterable<DnsPartial>>, KV<KV<Integer, Long>, SrvKnowledge>> {
  /** A few hundred kB encoded: small beside a runner's buffers, few beside the records. */
  static final int RECORDS_PER_PIECE = 10_000;

  /**
   * A minute: what {@link CompleteSrvKnowledge.SpanFn} holds at once is a minute of a target
   * shard's SRV answers, and what the second step holds is about a record per target, port and
   * minute.
   */
  static final long SPAN_MICROS = 60_000_000L;

  private final Shards targetShards;

  public LearnSrvFn(Shards targetShards) {
    this.targetShards = targetShards;
  }

  @ProcessElement
  public void process(
      @Element KV<Integer, Iterable<DnsPartial>> shard,
      OutputReceiver<KV<KV<Integer, Long>, SrvKnowledge>> out)
      throws InterruptedException {
    DnsNameTable.Interner names = new DnsNameTable.Interner();
    List<Iterator<DnsEvent>> partials = new ArrayList<>();
    for (DnsPartial p : shard.getValue()) {
      partials.add(p.events(names));
    }
    SrvLearner learner = new SrvLearner();
    try (MergedEvents events = MergedEvents.start(partials)) {
      while (events.hasNext()) {
        learner.accept(events.next());
      }
    }
    learner
        .knowledge()
        .byTargetAndSpan(targetShards, SPAN_MICROS)
        .forEach(
            (targetShard, spans) ->
                spans.forEach(
                    (span, part) ->
                        part.pieces(RECORDS_PER_PIECE)
                            .forEach(piece -> out.output(KV.of(KV.of(targetShard, span), piece)))));
  }
}
