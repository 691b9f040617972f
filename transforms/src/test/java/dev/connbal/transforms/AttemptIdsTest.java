package dev.connbal.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** How the SYNs to one (client, backend, port) add up to SEMANTICS.md's #conns. */
class AttemptIdsTest {
  private static final long ATTEMPT = SynBatch.attempt(40000, 7);

  @Test
  void aRetransmittedSynIsTheSameAttempt() {
    AttemptIds ids = new AttemptIds();
    ids.add(ATTEMPT, false);
    ids.add(ATTEMPT, false);
    assertThat(ids.countOnTime(), equalTo(1L));
  }

  @Test
  void anAttemptWithAnEarlySynDoesNotCountWhicheverSynCameFirst() {
    // First SYN before the DNS answer (early), retransmit after it: the attempt began before the
    // backend was known. The order they are added in (ranges read in any order) does not matter.
    AttemptIds ids = new AttemptIds();
    ids.add(ATTEMPT, false);
    ids.add(ATTEMPT, true);
    assertThat(ids.countOnTime(), equalTo(0L));
  }

  @Test
  void sameIsnOnAnotherClientPortOrAnotherIsnIsAnotherAttempt() {
    AttemptIds ids = new AttemptIds();
    ids.add(SynBatch.attempt(40000, 7), false);
    ids.add(SynBatch.attempt(40001, 7), false);
    ids.add(SynBatch.attempt(40000, 8), false);
    ids.add(SynBatch.attempt(65535, 0xFFFFFFFFL), true);
    assertThat(ids.countOnTime(), equalTo(3L));
  }

  @Test
  void attemptsKeepEveryBitOfClientPortAndIsn() {
    // Attempts that differ only in the top bit of the client port or of the unsigned ISN.
    AttemptIds ids = new AttemptIds();
    ids.add(SynBatch.attempt(65535, 0xFFFFFFFFL), false);
    ids.add(SynBatch.attempt(32767, 0xFFFFFFFFL), false);
    ids.add(SynBatch.attempt(65535, 0x7FFFFFFFL), false);
    assertThat(ids.countOnTime(), equalTo(3L));
    assertThat(SynBatch.attempt(65535, 0xFFFFFFFFL), equalTo(0xFFFF_FFFF_FFFFL));
  }

  /** Random SYNs added in any order count as a replay of the SYNs in time order does. */
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

      Collections.shuffle(syns, random);
      AttemptIds ids = new AttemptIds();
      for (long[] s : syns) {
        ids.add(SynBatch.attempt((int) s[0], s[1]), s[2] < firstSeen);
      }
      assertThat("round " + round, ids.countOnTime(), equalTo(expected));
    }
  }
}
