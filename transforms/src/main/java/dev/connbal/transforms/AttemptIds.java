package dev.connbal.transforms;

import java.util.Arrays;

/**
 * The connection attempts one range of a capture saw to one (client, backend, port): each attempt
 * identified by its client port and initial sequence number (a retransmitted SYN has the same
 * ones), and marked <em>early</em> when one of its SYNs in the range came before the backend's
 * first DNS appearance.
 *
 * <p>An attempt counts when none of its SYNs is early, wherever they were read: its first SYN is
 * then at or after the first appearance. So ranges need not know of each other; the counting side
 * ({@link #countOnTime}) merges the sets of all ranges. The set is a sorted array of {@code
 * clientPort << 33 | isn << 1 | early}: 8 bytes per attempt, and one shuffle element per (range,
 * client, backend, port) however many attempts there are.
 */
final class AttemptIds {
  private final long[] sorted;

  private AttemptIds(long[] sorted) {
    this.sorted = sorted;
  }

  /** An attempt's entry: its identity, and whether one of its SYNs came early. */
  static long entry(int clientPort, long isn, boolean early) {
    return ((long) clientPort << 33) | (isn << 1) | (early ? 1 : 0);
  }

  /** The set of {@code entries} (one per attempt), in any order; the array is taken over. */
  static AttemptIds of(long[] entries) {
    Arrays.sort(entries);
    return new AttemptIds(entries);
  }

  /** Collects the entries of one range's SYNs to one (client, backend, port). */
  static final class Builder {
    private long[] entries = new long[4];
    private int size;

    /**
     * One SYN of the attempt {@code (clientPort, isn)}; retransmissions add the same entry again,
     * which {@link #build} drops.
     */
    void add(int clientPort, long isn, boolean early) {
      if (size == entries.length) {
        entries = Arrays.copyOf(entries, size * 2);
      }
      entries[size++] = entry(clientPort, isn, early);
    }

    /**
     * The set of the added entries. An attempt whose SYNs were both early and on time here keeps
     * both entries: it counts as early, as {@link #countOnTime} reads it.
     */
    AttemptIds build() {
      long[] sorted = Arrays.copyOf(entries, size);
      Arrays.sort(sorted);
      int distinct = 0;
      for (int i = 0; i < sorted.length; i++) {
        if (i == 0 || sorted[i] != sorted[i - 1]) {
          sorted[distinct++] = sorted[i];
        }
      }
      return new AttemptIds(Arrays.copyOf(sorted, distinct));
    }
  }

  /** The entries, sorted; for the coder. */
  long[] entries() {
    return sorted;
  }

  /**
   * How many distinct attempts of {@code parts} (the sets of every range for one (client, backend,
   * port)) had no early SYN anywhere.
   */
  static long countOnTime(Iterable<AttemptIds> parts) {
    int total = 0;
    for (AttemptIds p : parts) {
      total += p.sorted.length;
    }
    long[] all = new long[total];
    int at = 0;
    for (AttemptIds p : parts) {
      System.arraycopy(p.sorted, 0, all, at, p.sorted.length);
      at += p.sorted.length;
    }
    // Entries of one attempt sort next to each other: the identity is the high bits.
    Arrays.sort(all);
    long count = 0;
    int i = 0;
    while (i < all.length) {
      long id = all[i] >>> 1;
      boolean early = false;
      for (; i < all.length && (all[i] >>> 1) == id; i++) {
        early |= (all[i] & 1) != 0;
      }
      if (!early) {
        count++;
      }
    }
    return count;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AttemptIds other && Arrays.equals(sorted, other.sorted);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(sorted);
  }

  @Override
  public String toString() {
    return "AttemptIds" + Arrays.toString(sorted);
  }
}
