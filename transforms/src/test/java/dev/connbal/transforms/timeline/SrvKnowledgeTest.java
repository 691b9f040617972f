package dev.connbal.transforms.timeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.connbal.transforms.decode.DnsName;
import dev.connbal.transforms.events.OrderKey;
import dev.connbal.transforms.keys.Shards;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link SrvKnowledge#complete}: the knowledge the split timelines read keeps only the records
 * whose priority or weight changes, and answers every lookup with the priority and weight of the
 * merged knowledge whole.
 */
class SrvKnowledgeTest {
  private static final DnsName SERVICE = DnsName.fromPresentation("_svc._tcp.example.");
  private static final DnsName OTHER_SERVICE = DnsName.fromPresentation("_other._tcp.example.");
  private static final DnsName TARGET = DnsName.fromPresentation("t.example.");

  private static SrvKnowledge.Position at(long micros, int record) {
    return new SrvKnowledge.Position(new OrderKey(micros, "capture.snoop", micros), record);
  }

  private static SrvKnowledge learnt(long micros, int port, int priority, int weight) {
    SrvKnowledge k = new SrvKnowledge();
    k.learn(at(micros, 0), SERVICE, TARGET, port, priority, weight);
    return k;
  }

  /** The records of {@code port} that {@code knowledge} keeps, as "micros:priority/weight". */
  private static List<String> kept(SrvKnowledge knowledge, int port) {
    List<String> kept = new ArrayList<>();
    knowledge
        .targets()
        .get(TARGET)
        .preferences()
        .get(port)
        .values()
        .forEach(
            p ->
                kept.add(p.at().order().timestampMicros() + ":" + p.priority() + "/" + p.weight()));
    return kept;
  }

  @Test
  void aReAnnouncementThatChangesNothingIsDropped() {
    // Two shards' records of one port, interleaved in time.
    SrvKnowledge first =
        SrvKnowledge.mergeAll(
            List.of(learnt(10, 443, 10, 50), learnt(30, 443, 10, 80), learnt(50, 443, 10, 50)));
    SrvKnowledge second =
        SrvKnowledge.mergeAll(
            List.of(learnt(20, 443, 10, 50), learnt(40, 443, 10, 80), learnt(60, 443, 20, 1)));

    SrvKnowledge complete = SrvKnowledge.complete(List.of(first, second));

    // 20 repeats 10, 40 repeats 30; 60 is of a higher priority and never decides.
    assertThat(kept(complete, 443), contains("10:10/50", "30:10/80", "50:10/50"));
    assertThat(
        kept(SrvKnowledge.mergeAll(List.of(first, second)), 443),
        contains("10:10/50", "20:10/50", "30:10/80", "40:10/80", "50:10/50"));
    // The same from either order of the shards.
    assertThat(SrvKnowledge.complete(List.of(second, first)), equalTo(complete));
  }

  @Test
  void laterRecordsOfAHigherPriorityAndRepeatsAreDropped() {
    SrvKnowledge complete =
        SrvKnowledge.complete(
            List.of(
                learnt(10, 80, 20, 5),
                learnt(20, 80, 20, 5),
                learnt(30, 80, 10, 5),
                learnt(40, 80, 10, 5),
                learnt(50, 80, 20, 5)));
    assertThat(kept(complete, 80), contains("10:20/5", "30:10/5"));
    assertThat(
        complete.get(TARGET, at(25, 0).order()).preference(80).priorityWeight(),
        equalTo(new SrvPriorityWeight(20, 5)));
    assertThat(
        complete.get(TARGET, at(55, 0).order()).preference(80).priorityWeight(),
        equalTo(new SrvPriorityWeight(10, 5)));
    assertThat(complete.get(TARGET, at(5, 0).order()), nullValue());
  }

  /**
   * Random records of three targets on two ports, from two services, learnt by up to five shards:
   * at every place, the completed knowledge knows what the merged knowledge knows, with the same
   * service, ports and, per port, the same priority and weight; and it keeps no record that repeats
   * the one before it.
   */
  @Test
  void completeAnswersEveryLookupAsTheWholeMergeDoes() {
    Random random = new Random(29);
    DnsName[] targets = {
      TARGET, DnsName.fromPresentation("u.example."), DnsName.fromPresentation("V.Example.")
    };
    for (int trial = 0; trial < 300; trial++) {
      int shards = 1 + random.nextInt(5);
      List<SrvKnowledge> parts = new ArrayList<>();
      for (int s = 0; s < shards; s++) {
        parts.add(new SrvKnowledge());
      }
      int records = 1 + random.nextInt(40);
      Set<SrvKnowledge.Position> used = new HashSet<>();
      for (int i = 0; i < records; i++) {
        // Few distinct times, so that records share a response (the index tells them apart). Two
        // records share a place only within one TCP segment, so in one client's shard: not here.
        SrvKnowledge.Position place = at(10 * (1 + random.nextInt(15)), random.nextInt(3));
        if (!used.add(place)) {
          continue;
        }
        parts
            .get(random.nextInt(shards))
            .learn(
                place,
                random.nextBoolean() ? SERVICE : OTHER_SERVICE,
                targets[random.nextInt(targets.length)],
                random.nextBoolean() ? 443 : 8443,
                random.nextInt(3),
                random.nextInt(3));
      }
      SrvKnowledge whole = SrvKnowledge.mergeAll(parts);
      List<SrvKnowledge> shuffled = new ArrayList<>(parts);
      Collections.shuffle(shuffled, random);
      SrvKnowledge complete = SrvKnowledge.complete(shuffled);
      // Completed per (target shard, span), then per target shard: the same.
      for (long span : new long[] {1, 10, 25, 1000}) {
        Shards targetShards = new Shards(1 + random.nextInt(3));
        assertThat(
            "trial " + trial + ", spans of " + span,
            TimelineEquivalence.asThePipelineCompletes(
                shuffled, targetShards, span, 1 + random.nextInt(4)),
            equalTo(complete));
      }

      for (long micros = 0; micros <= 170; micros += 5) {
        OrderKey now = at(micros, 0).order();
        for (DnsName target : targets) {
          String where = "trial " + trial + ", " + target + " at " + micros;
          SrvTargets.Target expected = whole.get(target, now);
          SrvTargets.Target actual = complete.get(target, now);
          assertThat(where, complete.knows(target, now), equalTo(whole.knows(target, now)));
          if (expected == null) {
            assertThat(where, actual, nullValue());
            continue;
          }
          assertThat(where, actual.firstService(), equalTo(expected.firstService()));
          assertThat(where, actual.ports(), equalTo(expected.ports()));
          for (int port : expected.ports()) {
            assertThat(
                where + " port " + port,
                actual.preference(port).priorityWeight(),
                equalTo(expected.preference(port).priorityWeight()));
          }
        }
      }
      for (SrvKnowledge.Learnt t : complete.targets().values()) {
        for (Map<SrvKnowledge.Position, SrvPreference> kept : t.preferences().values()) {
          SrvPreference before = null;
          for (SrvPreference p : kept.values()) {
            assertThat(
                "trial " + trial + ": a kept record repeats the one before it",
                before != null && before.priorityWeight().equals(p.priorityWeight()),
                equalTo(false));
            before = p;
          }
        }
      }
    }
  }
}
