package dev.connbal.transforms.timeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.connbal.transforms.decode.DnsName;
import dev.connbal.transforms.events.DnsEvent;
import dev.connbal.transforms.keys.Shards;
import dev.connbal.transforms.wire.BackendFactsCoder;
import dev.connbal.transforms.wire.SrvKnowledgeCoder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.util.CoderUtils;

/**
 * A {@link DnsTimeline} over every client, fed in timeline order, that checks each of its answers
 * against the timeline split by client, as the pipeline runs it: the events of SRV names go through
 * a {@link SrvLearner} per client shard, the shards' knowledge is cut by target shard and span of
 * time, completed per (target shard, span) and then per target shard ({@link
 * SrvKnowledge#complete}), crossing the coder in pieces between the steps, and merged from its
 * pieces by each shard's timeline, which consults it. Every answer must be the same for every shard
 * count tried: the backends' facts whole (SRV ports with their #dns, priority and weight included)
 * and byte for byte in their wire form.
 */
final class TimelineEquivalence {
  private static final int[] SHARD_COUNTS = {2, 3, 16};

  private final DnsTimeline sequential = new DnsTimeline();
  private final List<DnsEvent> events = new ArrayList<>();

  void accept(DnsEvent event) {
    sequential.accept(event);
    events.add(event);
  }

  /** The backends, by client and backend; the same split by client. */
  List<BackendFacts> backends() {
    List<BackendFacts> expected = sorted(sequential.backends());
    for (int count : SHARD_COUNTS) {
      List<BackendFacts> sharded = new ArrayList<>();
      for (DnsTimeline t : sharded(count)) {
        sharded.addAll(t.backends());
      }
      assertThat("backends with " + count + " shards", sorted(sharded), equalTo(expected));
      assertThat(
          "encoded backends with " + count + " shards",
          encoded(sorted(sharded)),
          equalTo(encoded(expected)));
      assertThat(
          "names' spellings with " + count + " shards",
          spellings(sorted(sharded)),
          equalTo(spellings(expected)));
    }
    return expected;
  }

  long matchedResponses() {
    for (int count : SHARD_COUNTS) {
      long matched = sharded(count).stream().mapToLong(DnsTimeline::matchedResponses).sum();
      assertThat(
          "matched with " + count + " shards", matched, equalTo(sequential.matchedResponses()));
    }
    return sequential.matchedResponses();
  }

  long unmatchedResponses() {
    for (int count : SHARD_COUNTS) {
      long unmatched = sharded(count).stream().mapToLong(DnsTimeline::unmatchedResponses).sum();
      assertThat(
          "unmatched with " + count + " shards",
          unmatched,
          equalTo(sequential.unmatchedResponses()));
    }
    return sequential.unmatchedResponses();
  }

  /** The timelines of {@code count} client shards, each fed its clients' events. */
  private List<DnsTimeline> sharded(int count) {
    Shards shards = new Shards(count);
    Set<DnsName> srvNames = new HashSet<>();
    for (DnsEvent e : events) {
      if (SrvLearner.carriesSrv(e)) {
        srvNames.add(e.query().name());
      }
    }
    Map<Integer, SrvLearner> learners = new TreeMap<>();
    for (DnsEvent e : events) {
      if (srvNames.contains(e.query().name())) {
        learners
            .computeIfAbsent(shards.ofClient(e.query().clientIp()), s -> new SrvLearner())
            .accept(e);
      }
    }
    List<SrvKnowledge> parts = new ArrayList<>();
    learners.values().forEach(l -> parts.add(l.knowledge()));
    // Merged in reverse too, and in two steps as a combine may: the result must not depend on
    // the order or the grouping.
    SrvKnowledge merged = SrvKnowledge.mergeAll(parts);
    List<SrvKnowledge> reversed = new ArrayList<>(parts);
    Collections.reverse(reversed);
    assertThat(SrvKnowledge.mergeAll(reversed), equalTo(merged));
    int half = reversed.size() / 2;
    assertThat(
        SrvKnowledge.mergeAll(
            List.of(
                SrvKnowledge.mergeAll(reversed.subList(0, half)),
                SrvKnowledge.mergeAll(reversed.subList(half, reversed.size())))),
        equalTo(merged));
    SrvKnowledge complete = SrvKnowledge.complete(parts);
    SrvKnowledge knowledge = null;
    for (int size : new int[] {1, 3, LearnSrvFn.RECORDS_PER_PIECE}) {
      for (int targetShards : new int[] {1, 2, 7}) {
        for (long span : new long[] {1, 70, LearnSrvFn.SPAN_MICROS}) {
          knowledge = asThePipelineCompletes(parts, new Shards(targetShards), span, size);
          assertThat(
              "knowledge from pieces of "
                  + size
                  + " in "
                  + targetShards
                  + " target shards and spans of "
                  + span
                  + " µs",
              knowledge,
              equalTo(complete));
        }
      }
    }
    SrvKnowledge fromPieces = knowledge;
    Map<Integer, DnsTimeline> timelines = new TreeMap<>();
    for (DnsEvent e : events) {
      timelines
          .computeIfAbsent(shards.ofClient(e.query().clientIp()), s -> new DnsTimeline(fromPieces))
          .accept(e);
    }
    return new ArrayList<>(timelines.values());
  }

  /**
   * Every client shard's knowledge ({@code parts}) moved as the pipeline moves it: by target shard
   * and span in pieces of at most {@code size} records, each through the coder; completed per
   * (target shard, span) and cut into pieces through the coder; completed per target shard and cut
   * into pieces through the coder (the side input); and the pieces merged, as each timeline does.
   */
  static SrvKnowledge asThePipelineCompletes(
      List<SrvKnowledge> parts, Shards targetShards, long span, int size) {
    Map<List<Long>, List<SrvKnowledge>> bySpan = new TreeMap<>(SPAN_KEYS);
    for (SrvKnowledge part : parts) {
      part.byTargetAndSpan(targetShards, span)
          .forEach(
              (shard, spans) ->
                  spans.forEach(
                      (at, ofSpan) ->
                          bySpan
                              .computeIfAbsent(List.of((long) shard, at), k -> new ArrayList<>())
                              .addAll(piecesThroughCoder(ofSpan, size))));
    }
    Map<Long, List<SrvKnowledge>> byTarget = new TreeMap<>();
    bySpan.forEach(
        (key, pieces) ->
            byTarget
                .computeIfAbsent(key.get(0), k -> new ArrayList<>())
                .addAll(piecesThroughCoder(SrvKnowledge.complete(pieces), size)));
    List<SrvKnowledge> pieces = new ArrayList<>();
    for (List<SrvKnowledge> ofShard : byTarget.values()) {
      pieces.addAll(piecesThroughCoder(SrvKnowledge.complete(ofShard), size));
    }
    return SrvKnowledge.mergeAll(pieces);
  }

  private static final Comparator<List<Long>> SPAN_KEYS =
      Comparator.<List<Long>, Long>comparing(k -> k.get(0)).thenComparing(k -> k.get(1));

  /** {@code knowledge}'s pieces of at most {@code size} records, each through the coder. */
  private static List<SrvKnowledge> piecesThroughCoder(SrvKnowledge knowledge, int size) {
    List<SrvKnowledge> pieces = new ArrayList<>();
    for (SrvKnowledge piece : knowledge.pieces(size)) {
      assertThat("records in a piece of " + size, records(piece) <= size);
      pieces.add(throughCoder(piece));
    }
    return pieces;
  }

  private static int records(SrvKnowledge knowledge) {
    int records = 0;
    for (SrvKnowledge.Learnt t : knowledge.targets().values()) {
      for (Map<?, ?> kept : t.preferences().values()) {
        records += kept.size();
      }
    }
    return records;
  }

  private static List<BackendFacts> sorted(List<BackendFacts> facts) {
    List<BackendFacts> all = new ArrayList<>(facts);
    all.sort(Comparator.comparing(BackendFacts::client).thenComparing(BackendFacts::backend));
    return all;
  }

  private static SrvKnowledge throughCoder(SrvKnowledge knowledge) {
    try {
      return CoderUtils.decodeFromByteArray(
          SrvKnowledgeCoder.of(), CoderUtils.encodeToByteArray(SrvKnowledgeCoder.of(), knowledge));
    } catch (CoderException e) {
      throw new AssertionError(e);
    }
  }

  private static List<List<Byte>> encoded(List<BackendFacts> facts) {
    List<List<Byte>> all = new ArrayList<>();
    for (BackendFacts f : facts) {
      try {
        byte[] bytes = CoderUtils.encodeToByteArray(BackendFactsCoder.of(), f);
        List<Byte> boxed = new ArrayList<>(bytes.length);
        for (byte b : bytes) {
          boxed.add(b);
        }
        all.add(boxed);
      } catch (CoderException e) {
        throw new AssertionError(e);
      }
    }
    return all;
  }

  private static List<String> spellings(List<BackendFacts> facts) {
    return facts.stream().map(f -> f.name().presentation()).toList();
  }
}
