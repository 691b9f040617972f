package dev.connbal.transforms.timeline;

import dev.connbal.transforms.decode.DnsName;
import dev.connbal.transforms.events.DnsEvent;
import dev.connbal.transforms.events.OrderKey;
import dev.connbal.transforms.keys.Shards;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The run's SRV knowledge with the place on the timeline where each piece was learnt, so that a
 * timeline that sees only some clients' events can ask what every client's lookups had taught by
 * the response at hand (SEMANTICS.md "Backends": the knowledge is global and applies from the
 * teaching response on, that response included).
 *
 * <p>Learnt per client shard by {@link SrvLearner} and merged: a target's first learning (the
 * earliest teaching response, and in it the first SRV record naming the target) gives its service,
 * as the sequential {@link SrvTargets} does, and each port has its own first learning.
 *
 * <p>For the priority and weight of a target on a port, asked as of any response, it keeps the SRV
 * records naming the target on that port that can decide them (the most recent of the lowest
 * priority so far, {@link SrvPreference#supersedes}): each record whose priority is no higher than
 * that of every record at an earlier place. A record of a higher priority than an earlier one can
 * never decide and is dropped, so priorities never increase along a port's records and the one that
 * decides as of a place is the last kept at or before it. Which records are kept depends only on
 * the set of records learnt, not on the order they came in, so the shards' knowledge merges in any
 * order (a record one shard drops would be dropped from the union too). Records at the lowest
 * priority are all kept, re-announcements included: with the other shards' records between them,
 * any of them may be the most recent one as of some response. Once every shard's records of a
 * target are in, the re-announcements that change nothing are dropped ({@link #complete}), so what
 * the timelines read grows with the changes of the SRV answers, not with their number.
 */
public final class SrvKnowledge implements SrvLookup {
  /** A place on the timeline: a response's order key and an SRV record's index in it. */
  public record Position(OrderKey order, int record) implements Comparable<Position>, Serializable {
    @Override
    public int compareTo(Position o) {
      int byOrder = order.compareTo(o.order);
      return byOrder != 0 ? byOrder : Integer.compare(record, o.record);
    }
  }

  /**
   * What is known of one target: its first learning and service, and per port the records that can
   * decide its priority and weight, by place (the first of them is the port's first learning).
   */
  public static final class Learnt {
    private Position first;
    private DnsName service;
    private final Map<Integer, NavigableMap<Position, SrvPreference>> ports = new TreeMap<>();

    public Position first() {
      return first;
    }

    public DnsName service() {
      return service;
    }

    /** Each port's first learning. */
    public Map<Integer, Position> portFirst() {
      Map<Integer, Position> firsts = new TreeMap<>();
      ports.forEach((port, kept) -> firsts.put(port, kept.firstKey()));
      return Collections.unmodifiableMap(firsts);
    }

    /** Per port (ascending), the records that can decide its priority and weight, by place. */
    public Map<Integer, NavigableMap<Position, SrvPreference>> preferences() {
      Map<Integer, NavigableMap<Position, SrvPreference>> view = new TreeMap<>();
      ports.forEach((port, kept) -> view.put(port, Collections.unmodifiableNavigableMap(kept)));
      return Collections.unmodifiableMap(view);
    }

    private void firstAt(Position at, DnsName serviceThere) {
      if (first == null || at.compareTo(first) < 0) {
        first = at;
        service = serviceThere;
      }
    }

    private void portAt(int port, SrvPreference learnt) {
      keep(ports.computeIfAbsent(port, p -> new TreeMap<>()), learnt);
    }

    /** Drops each kept record of the priority and weight of the record before it on its port. */
    private void dropRepeats() {
      for (NavigableMap<Position, SrvPreference> kept : ports.values()) {
        SrvPreference before = null;
        for (Iterator<SrvPreference> it = kept.values().iterator(); it.hasNext(); ) {
          SrvPreference p = it.next();
          if (before != null
              && p.priority() == before.priority()
              && p.weight() == before.weight()) {
            it.remove();
          } else {
            before = p;
          }
        }
      }
    }
  }

  /**
   * Adds {@code learnt} to a port's deciding records if it is one: if no record at an earlier place
   * has a lower priority and no record at its own place supersedes it. The records after it of a
   * higher priority then stop being deciding ones.
   */
  private static void keep(NavigableMap<Position, SrvPreference> kept, SrvPreference learnt) {
    // A learner and a decoder add each port's records in place order: then there is no record at
    // its place or after it, and the last one is the one before it.
    Map.Entry<Position, SrvPreference> last = kept.lastEntry();
    if (last == null || learnt.at().compareTo(last.getKey()) > 0) {
      if (last == null || learnt.priority() <= last.getValue().priority()) {
        kept.put(learnt.at(), learnt);
      }
      return;
    }
    SrvPreference samePlace = kept.get(learnt.at());
    if (samePlace != null) {
      if (!learnt.supersedes(samePlace)) {
        return;
      }
    } else {
      // Priorities never increase along the kept records, so the last one before is the lowest.
      Map.Entry<Position, SrvPreference> before = kept.lowerEntry(learnt.at());
      if (before != null && learnt.priority() > before.getValue().priority()) {
        return;
      }
    }
    kept.put(learnt.at(), learnt);
    Map.Entry<Position, SrvPreference> after;
    while ((after = kept.higherEntry(learnt.at())) != null
        && after.getValue().priority() > learnt.priority()) {
      kept.remove(after.getKey());
    }
  }

  private final Map<DnsName, Learnt> targets = new HashMap<>();

  /**
   * Records that the SRV record at {@code at} names {@code target} of {@code service} on {@code
   * port}, with its priority and weight.
   */
  public void learn(
      Position at, DnsName service, DnsName target, int port, int priority, int weight) {
    Learnt t = targets.computeIfAbsent(target, k -> new Learnt());
    t.firstAt(at, service);
    t.portAt(port, new SrvPreference(at, priority, weight));
  }

  /** Adds everything {@code other} knows; the result is the same in any order of merging. */
  void merge(SrvKnowledge other) {
    other.targets.forEach(
        (target, o) -> {
          Learnt t = targets.computeIfAbsent(target, k -> new Learnt());
          t.firstAt(o.first, o.service);
          o.ports.forEach((port, kept) -> kept.values().forEach(p -> t.portAt(port, p)));
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
    // Every record of the response at hand is known at it, whatever its index.
    Position now = new Position(at, Integer.MAX_VALUE);
    Map<Integer, SrvPreference> ports = new LinkedHashMap<>();
    t.ports.forEach(
        (port, kept) -> {
          Map.Entry<Position, SrvPreference> deciding = kept.floorEntry(now);
          if (deciding != null) {
            ports.put(port, deciding.getValue());
          }
        });
    return new SrvTargets.Target(t.service, ports);
  }

  @Override
  public boolean knows(DnsName name, OrderKey at) {
    Learnt t = targets.get(name);
    return t != null && t.first.order().compareTo(at) <= 0;
  }

  public Map<DnsName, Learnt> targets() {
    return Collections.unmodifiableMap(targets);
  }

  /**
   * This knowledge cut into pieces of at most {@code maxRecords} SRV records each, whose {@link
   * #mergeAll merge} is this knowledge again (a target's records may be spread over pieces, each
   * with the target's first learning). A piece is one element on its way to every timeline: the
   * knowledge grows with the SRV answers of the run, and a runner must not have to hold it, or sort
   * it, as one record (Flink's sort buffers take a few MB).
   */
  public List<SrvKnowledge> pieces(int maxRecords) {
    if (maxRecords < 1) {
      throw new IllegalArgumentException("a piece holds at least one record, not " + maxRecords);
    }
    List<SrvKnowledge> pieces = new ArrayList<>();
    SrvKnowledge piece = new SrvKnowledge();
    int records = 0;
    for (Map.Entry<DnsName, Learnt> e : targets.entrySet()) {
      Learnt t = e.getValue();
      Learnt inPiece = null;
      for (Map.Entry<Integer, NavigableMap<Position, SrvPreference>> port : t.ports.entrySet()) {
        for (SrvPreference kept : port.getValue().values()) {
          if (records == maxRecords) {
            pieces.add(piece);
            piece = new SrvKnowledge();
            records = 0;
            inPiece = null;
          }
          if (inPiece == null) {
            inPiece = piece.learntFrom(e.getKey(), t);
          }
          // A subset of a port's kept records is kept whole: priorities never increase along them.
          inPiece.ports.computeIfAbsent(port.getKey(), p -> new TreeMap<>()).put(kept.at(), kept);
          records++;
        }
      }
    }
    if (records > 0 || pieces.isEmpty()) {
      pieces.add(piece);
    }
    return pieces;
  }

  /** A target of this knowledge with {@code from}'s first learning and no records yet. */
  private Learnt learntFrom(DnsName target, Learnt from) {
    Learnt t = new Learnt();
    t.first = from.first;
    t.service = from.service;
    targets.put(target, t);
    return t;
  }

  /** The merge of {@code parts}. */
  public static SrvKnowledge mergeAll(Iterable<SrvKnowledge> parts) {
    SrvKnowledge all = new SrvKnowledge();
    for (SrvKnowledge part : parts) {
      all.merge(part);
    }
    return all;
  }

  /**
   * The merge of {@code parts}, which hold every shard's records of their targets (of a span of
   * time or of all time), for lookups only: per port, each record of the priority and weight of the
   * record kept before it is dropped. A lookup may then find an earlier record than before, of the
   * same priority and weight, which is all a timeline takes from it ({@link DnsTimeline}'s listing
   * rule asks nothing of its place).
   *
   * <p>Spans complete apart: completing the spans' completions gives the completion of them all
   * (SrvKnowledgeTest). A record a span drops has a higher priority than an earlier record of the
   * span, or repeats the record the span keeps before it; the earlier spans' records can only lower
   * that priority, or drop the kept record as a repeat of one of theirs, so the whole drops it too.
   * Nothing else may be merged into a completion: a dropped record would be the most recent one
   * again after another shard's record of another weight between.
   */
  public static SrvKnowledge complete(Iterable<SrvKnowledge> parts) {
    SrvKnowledge all = mergeAll(parts);
    all.targets.values().forEach(Learnt::dropRepeats);
    return all;
  }

  /**
   * This knowledge by the shard of each target ({@link Shards#ofName}) and then by the span of
   * {@code spanMicros} its records fall in, so that every client shard's records of a target and a
   * span meet for {@link #complete}, in memory bounded by the span. Each part carries its targets'
   * first learnings and shares this knowledge's records.
   */
  public Map<Integer, Map<Long, SrvKnowledge>> byTargetAndSpan(Shards shards, long spanMicros) {
    if (spanMicros < 1) {
      throw new IllegalArgumentException("a span is at least 1 µs, not " + spanMicros);
    }
    Map<Integer, Map<Long, SrvKnowledge>> parts = new TreeMap<>();
    targets.forEach(
        (target, t) -> {
          Map<Long, SrvKnowledge> ofShard =
              parts.computeIfAbsent(shards.ofName(target), s -> new TreeMap<>());
          t.ports.forEach(
              (port, kept) -> {
                long current = 0;
                NavigableMap<Position, SrvPreference> into = null;
                for (SrvPreference p : kept.values()) {
                  // In place order, so the span changes only forward.
                  long span = Math.floorDiv(p.at().order().timestampMicros(), spanMicros);
                  if (into == null || span != current) {
                    current = span;
                    SrvKnowledge part = ofShard.computeIfAbsent(span, s -> new SrvKnowledge());
                    Learnt inPart = part.targets.get(target);
                    if (inPart == null) {
                      inPart = part.learntFrom(target, t);
                    }
                    into = inPart.ports.computeIfAbsent(port, q -> new TreeMap<>());
                  }
                  // A subset of a port's kept records is kept whole (see pieces).
                  into.put(p.at(), p);
                }
              });
        });
    return parts;
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
          || !other.ports.equals(mine.ports)) {
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
            parts.add(target + " of " + t.service + " at " + t.first + " ports " + t.ports));
    return "SrvKnowledge" + parts;
  }
}
