package dev.connbal.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** How the attempt sets of several ranges add up to SEMANTICS.md's #conns. */
class AttemptIdsTest {
  private static AttemptIds set(long... entries) {
    return AttemptIds.of(entries);
  }

  @Test
  void anAttemptSeenByTwoRangesCountsOnce() {
    long syn = AttemptIds.entry(40000, 7, false);
    assertThat(AttemptIds.countOnTime(List.of(set(syn), set(syn))), equalTo(1L));
  }

  @Test
  void anAttemptWithAnEarlySynInAnyRangeDoesNotCount() {
    // First SYN before the DNS answer (early, in one range), retransmit after it (another range):
    // the attempt began before the backend was known.
    assertThat(
        AttemptIds.countOnTime(
            List.of(
                set(AttemptIds.entry(40000, 7, false)), set(AttemptIds.entry(40000, 7, true)))),
        equalTo(0L));
  }

  @Test
  void builderDropsRetransmissionsAndKeepsEarlyMarks() {
    AttemptIds.Builder b = new AttemptIds.Builder();
    b.add(40000, 7, false);
    b.add(40000, 7, false);
    b.add(40000, 7, true);
    b.add(40001, 9, false);
    assertThat(
        b.build(),
        equalTo(
            set(
                AttemptIds.entry(40000, 7, false),
                AttemptIds.entry(40000, 7, true),
                AttemptIds.entry(40001, 9, false))));
    assertThat(AttemptIds.countOnTime(List.of(b.build())), equalTo(1L));
  }

  @Test
  void sameIsnOnAnotherClientPortOrAnotherIsnIsAnotherAttempt() {
    assertThat(
        AttemptIds.countOnTime(
            List.of(
                set(AttemptIds.entry(40000, 7, false), AttemptIds.entry(40001, 7, false)),
                set(AttemptIds.entry(40000, 8, false), AttemptIds.entry(65535, 0xFFFFFFFFL, true)))),
        equalTo(3L));
  }

  /** Random SYNs cut into random ranges count as a replay of the SYNs one by one does. */
  @Test
  void matchesAPacketByPacketReplay() {
    Random random = new Random(5);
    for (int round = 0; round < 200; round++) {
      List<long[]> syns = new ArrayList<>(); // {port, isn, time}
      for (int i = random.nextInt(60); i > 0; i--) {
        syns.add(new long[] {random.nextInt(4), random.nextInt(4), random.nextInt(100)});
      }
      long firstSeen = random.nextInt(100);
      Map<Long, Long> firstSyn = new HashMap<>();
      for (long[] s : syns) {
        firstSyn.merge(s[0] << 32 | s[1], s[2], Math::min);
      }
      long expected = firstSyn.values().stream().filter(t -> t >= firstSeen).count();

      List<AttemptIds> ranges = new ArrayList<>();
      int from = 0;
      while (from < syns.size()) {
        int to = Math.min(syns.size(), from + 1 + random.nextInt(10));
        AttemptIds.Builder range = new AttemptIds.Builder();
        for (long[] s : syns.subList(from, to)) {
          range.add((int) s[0], s[1], s[2] < firstSeen);
        }
        ranges.add(range.build());
        from = to;
      }
      assertThat("round " + round, AttemptIds.countOnTime(ranges), equalTo(expected));
    }
  }
}
