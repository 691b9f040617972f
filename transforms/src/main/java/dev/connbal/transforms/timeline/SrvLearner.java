package dev.connbal.transforms.timeline;

import dev.connbal.transforms.events.DnsEvent;
import dev.connbal.transforms.events.DnsEventRecord;
import dev.connbal.transforms.events.OrderKey;
import java.util.List;

/**
 * The first pass of a timeline split by client: matches one client shard's queries and responses as
 * {@link DnsTimeline} does and records where each matched response's SRV answers teach a target
 * ({@link SrvKnowledge}). The shards' knowledge, merged, is what every shard's timeline then
 * consults as of each of its responses.
 *
 * <p>It needs only the events whose query name some response with SRV answers carries: matching is
 * per query identity, which includes the name, so no other event can decide whether such a response
 * is matched.
 */
public final class SrvLearner {
  private final OutstandingQueries queries = new OutstandingQueries();
  private final SrvKnowledge knowledge = new SrvKnowledge();

  /** Feeds the next event; events must come in {@link OrderKey} order. */
  void accept(DnsEvent event) {
    if (!queries.matchedResponse(event)) {
      return;
    }
    List<DnsEventRecord> records = event.records();
    for (int i = 0; i < records.size(); i++) {
      DnsEventRecord r = records.get(i);
      if (SrvLookup.teaches(r)) {
        knowledge.learn(
            new SrvKnowledge.Position(event.order(), i),
            r.owner(),
            r.target(),
            r.port(),
            r.priority(),
            r.weight());
      }
    }
  }

  SrvKnowledge knowledge() {
    return knowledge;
  }

  /** Whether {@code event} is a response with SRV answers: what the learning pass is about. */
  public static boolean carriesSrv(DnsEvent event) {
    if (!event.isResponse()) {
      return false;
    }
    for (DnsEventRecord r : event.records()) {
      if (r.isSrv()) {
        return true;
      }
    }
    return false;
  }
}
