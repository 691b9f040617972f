package dev.connbal.transforms.timeline;

import dev.connbal.transforms.decode.DnsName;
import dev.connbal.transforms.events.DnsEvent;
import dev.connbal.transforms.events.DnsEventRecord;
import dev.connbal.transforms.events.OrderKey;
import java.io.Serializable;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Global SRV knowledge (SEMANTICS.md "Backends") learnt as the one timeline over every client goes:
 * which names are SRV targets, of which service, on which ports, and with which priority and weight
 * on each. Any client's matched SRV answer teaches it, from that response on, so what is known now
 * is what is known at the response at hand.
 */
public final class SrvTargets implements SrvLookup, Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * A target's first-learned service and the ports SRV answers gave it, in learning order, each
   * with the SRV record that decides its priority and weight as known (the most recent of the
   * lowest priority, {@link SrvPreference#supersedes}).
   */
  static final class Target implements Serializable {
    private static final long serialVersionUID = 1L;

    private final DnsName firstService;
    private final Map<Integer, SrvPreference> ports;

    Target(DnsName firstService, Map<Integer, SrvPreference> ports) {
      this.firstService = firstService;
      this.ports = ports;
    }

    DnsName firstService() {
      return firstService;
    }

    Set<Integer> ports() {
      return ports.keySet();
    }

    /**
     * The deciding record of {@code port}, or null when no SRV answer gave the target that port.
     */
    SrvPreference preference(int port) {
      return ports.get(port);
    }
  }

  private final Map<DnsName, Target> targets = new HashMap<>();

  @Override
  public void learnFrom(DnsEvent response) {
    List<DnsEventRecord> records = response.records();
    for (int i = 0; i < records.size(); i++) {
      DnsEventRecord r = records.get(i);
      if (SrvLookup.teaches(r)) {
        SrvPreference learnt =
            new SrvPreference(
                new SrvKnowledge.Position(response.order(), i), r.priority(), r.weight());
        targets
            .computeIfAbsent(r.target(), t -> new Target(r.owner(), new LinkedHashMap<>()))
            .ports
            .merge(r.port(), learnt, (known, now) -> now.supersedes(known) ? now : known);
      }
    }
  }

  /** The target's knowledge so far ({@code at} is now), or null when no SRV answer named it. */
  @Override
  public Target get(DnsName name, OrderKey at) {
    return targets.get(name);
  }
}
