package dev.connbal.transforms.timeline;

import dev.connbal.transforms.events.DnsEvent;
import dev.connbal.transforms.events.DnsEventRecord;
import dev.connbal.transforms.events.OrderKey;
import dev.connbal.transforms.decode.DnsName;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Global SRV knowledge (SEMANTICS.md "Backends") learnt as the one timeline over every client
 * goes: which names are SRV targets, of which service and on which ports. Any client's matched
 * SRV answer teaches it, from that response on, so what is known now is what is known at the
 * response at hand.
 */
public final class SrvTargets implements SrvLookup {
  /** A target's first-learned service and the ports SRV answers gave it, in learning order. */
  static final class Target {
    private final DnsName firstService;
    private final Set<Integer> ports;

    Target(DnsName firstService, Set<Integer> ports) {
      this.firstService = firstService;
      this.ports = ports;
    }

    DnsName firstService() {
      return firstService;
    }

    Set<Integer> ports() {
      return ports;
    }
  }

  private final Map<DnsName, Target> targets = new HashMap<>();

  @Override
  public void learnFrom(DnsEvent response) {
    for (DnsEventRecord r : response.records()) {
      if (SrvLookup.teaches(r)) {
        targets
            .computeIfAbsent(r.target(), t -> new Target(r.owner(), new LinkedHashSet<>()))
            .ports
            .add(r.port());
      }
    }
  }

  /** The target's knowledge so far ({@code at} is now), or null when no SRV answer named it. */
  @Override
  public Target get(DnsName name, OrderKey at) {
    return targets.get(name);
  }
}
