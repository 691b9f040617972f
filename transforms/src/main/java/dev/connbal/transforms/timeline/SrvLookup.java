package dev.connbal.transforms.timeline;

import dev.connbal.transforms.decode.DnsName;
import dev.connbal.transforms.events.DnsEvent;
import dev.connbal.transforms.events.DnsEventRecord;
import dev.connbal.transforms.events.OrderKey;

/**
 * Where the DNS timeline gets SRV knowledge from: learnt as it goes ({@link SrvTargets}, one
 * timeline over every client) or learnt beforehand for the whole run ({@link SrvKnowledge}, a
 * timeline per client shard).
 */
public interface SrvLookup {
  /** Takes in the SRV answers of a matched response, before its address records are looked at. */
  void learnFrom(DnsEvent response);

  /** The target {@code name} as known at the response at {@code at}, or null when not known. */
  SrvTargets.Target get(DnsName name, OrderKey at);

  /**
   * Whether {@code name} is a known target at the response at {@code at}: {@code get(name, at) !=
   * null}, which the timeline asks of every address record, without building what is known.
   */
  default boolean knows(DnsName name, OrderKey at) {
    return get(name, at) != null;
  }

  /** Whether an SRV record teaches a target: one whose target is not the root ("no service"). */
  static boolean teaches(DnsEventRecord r) {
    return r.isSrv() && !".".equals(r.target().presentation());
  }
}
