package dev.connbal.transforms.count;

import dev.connbal.transforms.events.SynBatch;
import dev.connbal.transforms.keys.Shards;
import java.util.Arrays;

/**
 * The connection attempts to one (client, backend, port), collected SYN by SYN from every range
 * that read one: per SYN its attempt id (client port and initial sequence number, {@link
 * SynBatch#attempt}) and its time, 16 bytes per SYN (the time is what tells a retransmission from a
 * new attempt), and as much again while they are sorted.
 *
 * <p>SEMANTICS.md: a SYN whose id is that of an attempt begun less than {@link
 * #RETRANSMIT_WINDOW_MICROS} before it retransmits that attempt; at or after that, TCP has given
 * the attempt up, and the same id begins a new one. Which attempt a SYN belongs to thus depends on
 * the SYNs of its id before it, so they are taken in time order ({@link OpenAttempts}); ranges read
 * them in any order, so they are sorted first. An attempt counts when its first SYN is at or after
 * the backend's first DNS appearance.
 */
public final class AttemptIds {
  /** How long after an attempt's first SYN a SYN with its id is still a retransmission: 120 s. */
  public static final long RETRANSMIT_WINDOW_MICROS = 120_000_000L;

  private long[] attempts = new long[4];
  private long[] times = new long[4];
  private int size;

  /** One SYN of {@code attempt} at {@code timeMicros}; SYNs may be added in any order. */
  void add(long attempt, long timeMicros) {
    if (size == attempts.length) {
      attempts = Arrays.copyOf(attempts, size * 2);
      times = Arrays.copyOf(times, size * 2);
    }
    attempts[size] = attempt;
    times[size] = timeMicros;
    size++;
  }

  /**
   * How many attempts began at or after {@code firstSeenMicros}. {@code open} is the sweep's
   * scratch state, cleared first: one can serve every destination in turn.
   */
  long countFrom(long firstSeenMicros, OpenAttempts open) {
    open.clear();
    sortByTime();
    long count = 0;
    for (int i = 0; i < size; i++) {
      if (open.begins(attempts[i], times[i]) && times[i] >= firstSeenMicros) {
        count++;
      }
    }
    return count;
  }

  /**
   * Puts the SYNs in time order, equal times in the order added. Each range reads its SYNs in
   * capture order, so they come as a few ascending runs: merging neighbouring runs pass after pass
   * costs one scan when they are already in order and a pass per halving of the runs otherwise.
   */
  private void sortByTime() {
    if (runEnd(times, 0) == size) {
      return;
    }
    long[] fromTimes = times;
    long[] fromAttempts = attempts;
    long[] toTimes = new long[size];
    long[] toAttempts = new long[size];
    int runs;
    do {
      runs = 0;
      for (int start = 0; start < size; runs++) {
        int middle = runEnd(fromTimes, start);
        int end = middle == size ? size : runEnd(fromTimes, middle);
        merge(fromTimes, fromAttempts, start, middle, end, toTimes, toAttempts);
        start = end;
      }
      long[] swap = fromTimes;
      fromTimes = toTimes;
      toTimes = swap;
      swap = fromAttempts;
      fromAttempts = toAttempts;
      toAttempts = swap;
    } while (runs > 1);
    times = fromTimes;
    attempts = fromAttempts;
  }

  /** The end of the ascending run of {@code t} that begins at {@code start}. */
  private int runEnd(long[] t, int start) {
    int i = start + 1;
    while (i < size && t[i - 1] <= t[i]) {
      i++;
    }
    return Math.min(i, size);
  }

  /** Merges the runs [start, middle) and [middle, end) into the same places of the target. */
  private static void merge(
      long[] t, long[] a, int start, int middle, int end, long[] toT, long[] toA) {
    int left = start;
    int right = middle;
    for (int to = start; to < end; to++) {
      if (right == end || (left < middle && t[left] <= t[right])) {
        toT[to] = t[left];
        toA[to] = a[left++];
      } else {
        toT[to] = t[right];
        toA[to] = a[right++];
      }
    }
  }

  /**
   * The attempts of one destination whose retransmit window is still open, fed SYN by SYN in time
   * order: a SYN either retransmits one of them or begins an attempt. The state is the attempts
   * begun in the last {@link #RETRANSMIT_WINDOW_MICROS}, whatever the length of the capture, so
   * that a streaming run can keep one per destination across windows.
   *
   * <p>Open ids are an open-addressing set over a {@code long[]} (ids are 48 bits, so -1 marks an
   * empty slot) and a queue in order of their first SYN, from whose head they expire; no object per
   * SYN or per attempt.
   */
  static final class OpenAttempts {
    private static final long EMPTY = -1;

    /** The set of open ids, linear probing, at most half full. */
    private long[] slots = emptySlots(16);

    /** The open attempts in order of their first SYN: a ring of ids and first-SYN times. */
    private long[] queueIds = new long[8];

    private long[] queueStarts = new long[8];
    private int head;
    private int open;
    private long latest = Long.MIN_VALUE;

    /**
     * Whether the SYN of {@code attempt} at {@code timeMicros} begins an attempt (true) or
     * retransmits an open one (false). Times must not decrease from call to call.
     */
    boolean begins(long attempt, long timeMicros) {
      if ((attempt >>> 48) != 0) {
        throw new IllegalArgumentException("attempt id of more than 48 bits: " + attempt);
      }
      if (timeMicros < latest) {
        throw new IllegalArgumentException(
            "SYN at " + timeMicros + " µs after one at " + latest + " µs: not in time order");
      }
      latest = timeMicros;
      while (open > 0 && timeMicros - queueStarts[head] >= RETRANSMIT_WINDOW_MICROS) {
        expireHead();
      }
      int slot = slotOf(attempt);
      if (slots[slot] == attempt) {
        return false;
      }
      slots[slot] = attempt;
      enqueue(attempt, timeMicros);
      if (open * 2 > slots.length) {
        growSlots();
      }
      return true;
    }

    /** How many attempts are open. */
    int size() {
      return open;
    }

    /** Forgets every open attempt and the time order, in time proportional to what is open. */
    void clear() {
      while (open > 0) {
        expireHead();
      }
      latest = Long.MIN_VALUE;
    }

    private void enqueue(long attempt, long timeMicros) {
      if (open == queueIds.length) {
        queueIds = inOrder(queueIds);
        queueStarts = inOrder(queueStarts);
        head = 0;
      }
      int tail = (head + open) & (queueIds.length - 1);
      queueIds[tail] = attempt;
      queueStarts[tail] = timeMicros;
      open++;
    }

    /** The ring's entries from its head on, in an array twice as long. */
    private long[] inOrder(long[] ring) {
      long[] grown = new long[ring.length * 2];
      System.arraycopy(ring, head, grown, 0, ring.length - head);
      System.arraycopy(ring, 0, grown, ring.length - head, head);
      return grown;
    }

    private void expireHead() {
      remove(queueIds[head]);
      head = (head + 1) & (queueIds.length - 1);
      open--;
    }

    /** The slot that holds {@code attempt}, or the empty slot where it would go. */
    private int slotOf(long attempt) {
      int mask = slots.length - 1;
      int i = home(attempt, mask);
      while (slots[i] != EMPTY && slots[i] != attempt) {
        i = (i + 1) & mask;
      }
      return i;
    }

    private static int home(long attempt, int mask) {
      return (int) Shards.mix(attempt) & mask;
    }

    /**
     * Removes an id that is in the set, moving back the ids after it that probed past its slot, so
     * that every id stays reachable from its home slot without tombstones.
     */
    private void remove(long attempt) {
      int mask = slots.length - 1;
      int hole = slotOf(attempt);
      for (int i = (hole + 1) & mask; slots[i] != EMPTY; i = (i + 1) & mask) {
        int home = home(slots[i], mask);
        boolean homeAfterHole = hole <= i ? hole < home && home <= i : hole < home || home <= i;
        if (!homeAfterHole) {
          slots[hole] = slots[i];
          hole = i;
        }
      }
      slots[hole] = EMPTY;
    }

    private void growSlots() {
      long[] old = slots;
      slots = emptySlots(old.length * 2);
      for (long id : old) {
        if (id != EMPTY) {
          slots[slotOf(id)] = id;
        }
      }
    }

    private static long[] emptySlots(int n) {
      long[] s = new long[n];
      Arrays.fill(s, EMPTY);
      return s;
    }
  }
}
