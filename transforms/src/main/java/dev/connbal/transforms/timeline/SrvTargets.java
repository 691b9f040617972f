package dev.connbal.transforms.timeline;

import dev.connbal.transforms.decode.DnsName;
import dev.connbal.transforms.events.DnsEvent;
import dev.connbal.transforms.events.DnsEventRecord;
import dev.connbal.transforms.events.OrderKey;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
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

  /** Writes the targets in presentation order, each with its ports in learning order. */
  void writeTo(DataOutput out) throws IOException {
    List<Map.Entry<DnsName, Target>> sorted = new ArrayList<>(targets.entrySet());
    sorted.sort(Comparator.comparing(e -> e.getKey().presentation()));
    out.writeInt(sorted.size());
    for (Map.Entry<DnsName, Target> e : sorted) {
      TimelineState.writeName(e.getKey(), out);
      TimelineState.writeName(e.getValue().firstService, out);
      out.writeInt(e.getValue().ports.size());
      for (Map.Entry<Integer, SrvPreference> p : e.getValue().ports.entrySet()) {
        out.writeInt(p.getKey());
        TimelineState.writePreference(p.getValue(), out);
      }
    }
  }

  /** The knowledge {@link #writeTo} wrote. */
  static SrvTargets readFrom(DataInput in) throws IOException {
    SrvTargets known = new SrvTargets();
    for (int i = TimelineState.count(in); i > 0; i--) {
      DnsName target = TimelineState.readName(in);
      Target t = new Target(TimelineState.readName(in), new LinkedHashMap<>());
      for (int j = TimelineState.count(in); j > 0; j--) {
        t.ports.put(in.readInt(), TimelineState.readPreference(in));
      }
      known.targets.put(target, t);
    }
    return known;
  }

  /** The target's knowledge so far ({@code at} is now), or null when no SRV answer named it. */
  @Override
  public Target get(DnsName name, OrderKey at) {
    return targets.get(name);
  }
}
