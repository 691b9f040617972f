package dev.connbal.transforms.timeline;

import dev.connbal.transforms.events.DnsEvent;
import dev.connbal.transforms.events.OrderKey;
import dev.connbal.transforms.decode.DnsName;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The run's SRV knowledge with the place on the timeline where each piece was first learnt, so
 * that a timeline that sees only some clients' events can ask what every client's lookups had
 * taught by the response at hand (SEMANTICS.md "Backends": the knowledge is global and applies
 * from the teaching response on, that response included).
 *
 * <p>Learnt per client shard by {@link SrvLearner} and merged: a target's first learning (the
 * earliest teaching response, and in it the first SRV record naming the target) gives its
 * service, as the sequential {@link SrvTargets} does, and each port has its own first learning.
 */
public final class SrvKnowledge implements SrvLookup {
  /** A place on the timeline: a response's order key and an SRV record's index in it. */
  public record Position(OrderKey order, int record) implements Comparable<Position> {
    @Override
    public int compareTo(Position o) {
      int byOrder = order.compareTo(o.order);
      return byOrder != 0 ? byOrder : Integer.compare(record, o.record);
    }
  }

  /** What is known of one target: its first learning and service, and each port's first. */
  public static final class Learnt {
    private Position first;
    private DnsName service;
    private final Map<Integer, Position> portFirst = new TreeMap<>();

    public Position first() {
      return first;
    }

    public DnsName service() {
      return service;
    }

    public Map<Integer, Position> portFirst() {
      return Collections.unmodifiableMap(portFirst);
    }

    private void firstAt(Position at, DnsName serviceThere) {
      if (first == null || at.compareTo(first) < 0) {
        first = at;
        service = serviceThere;
      }
    }

    private void portAt(int port, Position at) {
      portFirst.merge(port, at, (a, b) -> a.compareTo(b) <= 0 ? a : b);
    }
  }

  private final Map<DnsName, Learnt> targets = new HashMap<>();

  /** Records that the SRV record at {@code at} names {@code target} of {@code service}. */
  public void learn(Position at, DnsName service, DnsName target, int port) {
    Learnt t = targets.computeIfAbsent(target, k -> new Learnt());
    t.firstAt(at, service);
    t.portAt(port, at);
  }

  /** Adds everything {@code other} knows; the result is the same in any order of merging. */
  void merge(SrvKnowledge other) {
    other.targets.forEach(
        (target, o) -> {
          Learnt t = targets.computeIfAbsent(target, k -> new Learnt());
          t.firstAt(o.first, o.service);
          o.portFirst.forEach(t::portAt);
        });
  }

  /** Already known: the learning pass saw every teaching response, this one included. */
  @Override
  public void learnFrom(DnsEvent response) {}

  @Override
  public SrvTargets.Target get(DnsName name, OrderKey at) {
    Learnt t = targets.get(name);
    if (t == null || t.first.order().compareTo(at) > 0) {
      return null;
    }
    Set<Integer> ports = new LinkedHashSet<>();
    t.portFirst.forEach(
        (port, first) -> {
          if (first.order().compareTo(at) <= 0) {
            ports.add(port);
          }
        });
    return new SrvTargets.Target(t.service, ports);
  }

  public Map<DnsName, Learnt> targets() {
    return Collections.unmodifiableMap(targets);
  }

  /** The merge of {@code parts}. */
  public static SrvKnowledge mergeAll(Iterable<SrvKnowledge> parts) {
    SrvKnowledge all = new SrvKnowledge();
    for (SrvKnowledge part : parts) {
      all.merge(part);
    }
    return all;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof SrvKnowledge k) || k.targets.size() != targets.size()) {
      return false;
    }
    for (Map.Entry<DnsName, Learnt> e : targets.entrySet()) {
      Learnt other = k.targets.get(e.getKey());
      Learnt mine = e.getValue();
      if (other == null
          || !other.first.equals(mine.first)
          || !other.service.sameSpelling(mine.service)
          || !other.portFirst.equals(mine.portFirst)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return targets.keySet().hashCode();
  }

  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    targets.forEach(
        (target, t) ->
            parts.add(target + " of " + t.service + " at " + t.first + " ports " + t.portFirst));
    return "SrvKnowledge" + parts;
  }
}
