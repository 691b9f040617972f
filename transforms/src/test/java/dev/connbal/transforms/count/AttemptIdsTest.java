package dev.connbal.transforms.count;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.connbal.transforms.events.SynBatch;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * How the SYNs to one (client, backend, port) add up to SEMANTICS.md's #conns: a SYN less than 120
 * s after its attempt's first SYN retransmits it, and an attempt counts when its first SYN is at or
 * after the backend's first DNS appearance. Times in µs.
 */
class AttemptIdsTest {
  private static final long ATTEMPT = SynBatch.attempt(40000, 7);
  private static final long S = 1_000_000L;

  /** Far from 0, as capture times are. */
  private static final long T = 1_700_000_000L * S;

  /** SYNs of {@code attempt} at the given times after {@link #T}, added in that order. */
  private static AttemptIds syns(long attempt, long... after) {
    AttemptIds ids = new AttemptIds();
    for (long a : after) {
      ids.add(attempt, T + a);
    }
    return ids;
  }

  private static long countFrom(AttemptIds ids, long firstSeen) {
    return ids.countFrom(firstSeen, new AttemptIds.OpenAttempts());
  }

  @Test
  void retransmitsOneAndThreeSecondsLaterAreTheSameAttempt() {
    assertThat(countFrom(syns(ATTEMPT, 0, 1 * S, 3 * S), T), equalTo(1L));
  }

  @Test
  void aRetransmitJustUnder120SecondsLaterIsTheSameAttempt() {
    assertThat(countFrom(syns(ATTEMPT, 0, 119_999_999), T), equalTo(1L));
  }

  @Test
  void theSameIdExactly120SecondsLaterBeginsAnotherAttempt() {
    assertThat(countFrom(syns(ATTEMPT, 0, 120 * S), T), equalTo(2L));
  }

  @Test
  void theWindowRunsFromTheAttemptsFirstSynNotFromTheSynBefore() {
    // 100 s retransmits the attempt of 0 s; 200 s is 200 s after that attempt began.
    assertThat(countFrom(syns(ATTEMPT, 0, 100 * S, 200 * S), T), equalTo(2L));
    // The second attempt's window runs from 200 s: 300 s retransmits it.
    assertThat(countFrom(syns(ATTEMPT, 0, 100 * S, 200 * S, 300 * S), T), equalTo(2L));
  }

  @Test
  void anAttemptBegunBeforeTheFirstDnsAppearanceDoesNotCountForItsRetransmits() {
    // First DNS appearance at 1 s: the SYN at 0 s is early, its retransmit at 2 s is not.
    assertThat(countFrom(syns(ATTEMPT, 0, 2 * S), T + S), equalTo(0L));
  }

  @Test
  void theSameId120SecondsAfterAnEarlySynBeginsAnAttemptThatCounts() {
    assertThat(countFrom(syns(ATTEMPT, 0, 120 * S), T + S), equalTo(1L));
    assertThat(countFrom(syns(ATTEMPT, 0, 60 * S, 121 * S), T + S), equalTo(1L));
  }

  @Test
  void anAttemptBegunAtTheFirstDnsAppearanceCounts() {
    assertThat(countFrom(syns(ATTEMPT, 5 * S, 6 * S), T + 5 * S), equalTo(1L));
  }

  @Test
  void synsAddedOutOfTimeOrderCountAsInTimeOrder() {
    // Read by ranges in any order: 200 s, 100 s, 0 s are still attempts at 0 s and at 200 s.
    assertThat(countFrom(syns(ATTEMPT, 200 * S, 100 * S, 0), T), equalTo(2L));
    // Taken in the order added, 100 s would begin the attempt and 200 s retransmit it.
    assertThat(countFrom(syns(ATTEMPT, 100 * S, 200 * S, 0), T), equalTo(2L));
    // The early first SYN read last still makes its retransmit not count.
    assertThat(countFrom(syns(ATTEMPT, 2 * S, 0), T + S), equalTo(0L));
    // Two files' runs interleaved in time.
    AttemptIds ids = syns(ATTEMPT, 0, 150 * S, 290 * S);
    for (long a : new long[] {10 * S, 130 * S, 280 * S}) {
      ids.add(ATTEMPT, T + a);
    }
    // In time order: 0 (begins), 10, 130 (begins), 150, 280 (begins, 280 >= 130 + 120), 290.
    assertThat(countFrom(ids, T), equalTo(3L));
  }

  @Test
  void sameIsnOnAnotherClientPortOrAnotherIsnIsAnotherAttempt() {
    AttemptIds ids = new AttemptIds();
    ids.add(SynBatch.attempt(40000, 7), T);
    ids.add(SynBatch.attempt(40001, 7), T);
    ids.add(SynBatch.attempt(40000, 8), T + S);
    ids.add(SynBatch.attempt(40000, 7), T + 2 * S);
    ids.add(SynBatch.attempt(65535, 0xFFFFFFFFL), T - S); // early
    assertThat(countFrom(ids, T), equalTo(3L));
  }

  @Test
  void attemptsKeepEveryBitOfClientPortAndIsn() {
    // Attempts that differ only in the top bit of the client port or of the unsigned ISN.
    AttemptIds ids = new AttemptIds();
    ids.add(SynBatch.attempt(65535, 0xFFFFFFFFL), T);
    ids.add(SynBatch.attempt(32767, 0xFFFFFFFFL), T);
    ids.add(SynBatch.attempt(65535, 0x7FFFFFFFL), T);
    assertThat(countFrom(ids, T), equalTo(3L));
    assertThat(SynBatch.attempt(65535, 0xFFFFFFFFL), equalTo(0xFFFF_FFFF_FFFFL));
  }

  @Test
  void oneOpenAttemptsServesDestinationAfterDestination() {
    AttemptIds.OpenAttempts open = new AttemptIds.OpenAttempts();
    assertThat(syns(ATTEMPT, 0, S).countFrom(T, open), equalTo(1L));
    // The next destination's SYNs may be earlier than the last one's; the same id is its own.
    assertThat(syns(ATTEMPT, -10 * S, 0).countFrom(T - 20 * S, open), equalTo(1L));
  }

  @Test
  void openAttemptsKeepOnlyTheAttemptsBegunInTheLast120Seconds() {
    AttemptIds.OpenAttempts open = new AttemptIds.OpenAttempts();
    // A new attempt every second for a day: only those of the last 120 s stay.
    for (long s = 0; s < 86_400; s++) {
      assertThat(
          open.begins(SynBatch.attempt(1024 + (int) (s % 60_000), s), T + s * S), equalTo(true));
    }
    assertThat(open.size(), equalTo(120)); // begun at 86,280 s .. 86,399 s
    // One id retransmitted every 10 s for a day: one attempt per 120 s, one open at a time.
    AttemptIds.OpenAttempts retransmitted = new AttemptIds.OpenAttempts();
    long begun = 0;
    for (long s = 0; s < 86_400; s += 10) {
      begun += retransmitted.begins(ATTEMPT, T + s * S) ? 1 : 0;
      assertThat(retransmitted.size(), equalTo(1));
    }
    assertThat(begun, equalTo(720L));
    open.clear();
    assertThat(open.size(), equalTo(0));
  }

  @Test
  void openAttemptsWantSynsInTimeOrder() {
    AttemptIds.OpenAttempts open = new AttemptIds.OpenAttempts();
    open.begins(ATTEMPT, T);
    assertThrows(IllegalArgumentException.class, () -> open.begins(ATTEMPT, T - 1));
    assertThrows(IllegalArgumentException.class, () -> open.begins(1L << 48, T));
  }

  /**
   * Random SYNs, on few ids and on times that often fall exactly 120 s apart, added in any order,
   * count as a replay of them in time order that remembers every attempt it has seen.
   */
  @Test
  void matchesAReplayInTimeOrder() {
    Random random = new Random(5);
    for (int round = 0; round < 300; round++) {
      List<long[]> syns = new ArrayList<>(); // {client port, isn, time}
      for (int i = random.nextInt(80); i > 0; i--) {
        long time = T + random.nextInt(60) * 10L * S + (random.nextInt(4) == 0 ? 1 : 0);
        syns.add(new long[] {random.nextInt(3), random.nextInt(3), time});
      }
      long firstSeen = T + random.nextInt(600) * S;
      List<long[]> inTime = new ArrayList<>(syns);
      inTime.sort(Comparator.comparingLong(s -> s[2]));
      Map<Long, Long> attemptBegun = new HashMap<>();
      long expected = 0;
      for (long[] s : inTime) {
        long id = s[0] << 32 | s[1];
        Long begun = attemptBegun.get(id);
        if (begun == null || s[2] - begun >= 120 * S) {
          attemptBegun.put(id, s[2]);
          expected += s[2] >= firstSeen ? 1 : 0;
        }
      }

      Collections.shuffle(syns, random);
      AttemptIds ids = new AttemptIds();
      for (long[] s : syns) {
        ids.add(SynBatch.attempt((int) s[0], s[1]), s[2]);
      }
      assertThat("round " + round, countFrom(ids, firstSeen), equalTo(expected));
    }
  }

  /**
   * Many ids begun and expiring while others stay open: each SYN is told apart as a replay that
   * remembers every attempt tells it, so no open id is lost when an expired one leaves the set.
   */
  @Test
  void openAttemptsMatchAReplayOverManyIds() {
    Random random = new Random(7);
    AttemptIds.OpenAttempts open = new AttemptIds.OpenAttempts();
    Map<Long, Long> attemptBegun = new HashMap<>();
    long time = T;
    for (int i = 0; i < 200_000; i++) {
      // About 2,000 SYNs per 120 s on 600 ids: ids recur inside and outside their windows.
      time += random.nextInt(3) == 0 ? 0 : random.nextInt(120_000);
      long id = SynBatch.attempt(random.nextInt(300), random.nextInt(2));
      Long begun = attemptBegun.get(id);
      boolean expected = begun == null || time - begun >= 120 * S;
      if (expected) {
        attemptBegun.put(id, time);
      }
      int syn = i;
      assertEquals(expected, open.begins(id, time), () -> "SYN " + syn);
    }
  }
}
