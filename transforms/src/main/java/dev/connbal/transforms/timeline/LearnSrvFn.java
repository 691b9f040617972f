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
 * order, and outputs what they teach keyed by the shard of each target ({@link
 * SrvKnowledge#byTarget}), in {@link SrvKnowledge#pieces pieces} of at most {@link
 * #RECORDS_PER_PIECE} SRV records. Those events are few, so they are merged from memory.
 */
public final class LearnSrvFn
    extends DoFn<KV<Integer, Iterable<DnsPartial>>, KV<Integer, SrvKnowledge>> {
  /** A few hundred kB encoded: small beside a runner's buffers, few beside the records. */
  static final int RECORDS_PER_PIECE = 10_000;

  private final Shards targetShards;

  public LearnSrvFn(Shards targetShards) {
    this.targetShards = targetShards;
  }

  @ProcessElement
  public void process(
      @Element KV<Integer, Iterable<DnsPartial>> shard,
      OutputReceiver<KV<Integer, SrvKnowledge>> out)
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
        .byTarget(targetShards)
        .forEach(
            (targetShard, part) ->
                part.pieces(RECORDS_PER_PIECE)
                    .forEach(piece -> out.output(KV.of(targetShard, piece))));
  }
}
