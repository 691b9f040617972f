package dev.connbal.transforms;

import dev.connbal.transforms.decode.DnsName;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Global SRV knowledge (SEMANTICS.md "Backends"): which names are SRV targets, of which service and
 * on which ports. Any client's matched SRV answer teaches it, from that response on.
 */
final class SrvTargets {
  /** A target's first-learned service and every port any SRV answer gave it, in learning order. */
  static final class Target {
    private final DnsName firstService;
    private final Set<Integer> ports = new LinkedHashSet<>();

    private Target(DnsName firstService) {
      this.firstService = firstService;
    }

    DnsName firstService() {
      return firstService;
    }

    Set<Integer> ports() {
      return ports;
    }
  }

  private final Map<DnsName, Target> targets = new HashMap<>();

  void learn(DnsName service, DnsName target, int port) {
    targets.computeIfAbsent(target, t -> new Target(service)).ports.add(port);
  }

  /** The target's knowledge, or null when no SRV answer named it yet. */
  Target get(DnsName name) {
    return targets.get(name);
  }
}
