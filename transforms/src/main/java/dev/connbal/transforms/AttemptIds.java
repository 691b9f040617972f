package dev.connbal.transforms;

import java.util.Arrays;

/**
 * The connection attempts to one (client, backend, port), collected SYN by SYN from every range
 * that read one: each attempt identified by its client port and initial sequence number (a
 * retransmitted SYN has the same ones, {@link SynBatch#attempt}), and each SYN marked
 * <em>early</em> when it came before the backend's first DNS appearance.
 *
 * <p>An attempt counts when none of its SYNs is early, wherever they were read: its first SYN is
 * then at or after the first appearance, which is SEMANTICS.md's rule for #conns, and ranges need
 * not know of each other. The SYNs are kept as {@code attempt << 1 | early}: 8 bytes per SYN.
 */
final class AttemptIds {
  private long[] entries = new long[4];
  private int size;

  /** One SYN of {@code attempt}; retransmissions add the same attempt again. */
  void add(long attempt, boolean early) {
    if (size == entries.length) {
      entries = Arrays.copyOf(entries, size * 2);
    }
    entries[size++] = (attempt << 1) | (early ? 1 : 0);
  }

  /** How many distinct attempts had no early SYN. */
  long countOnTime() {
    long[] sorted = Arrays.copyOf(entries, size);
    // The SYNs of one attempt sort next to each other: the attempt is the high bits.
    Arrays.sort(sorted);
    long count = 0;
    int i = 0;
    while (i < sorted.length) {
      long attempt = sorted[i] >>> 1;
      boolean early = false;
      for (; i < sorted.length && (sorted[i] >>> 1) == attempt; i++) {
        early |= (sorted[i] & 1) != 0;
      }
      if (!early) {
        count++;
      }
    }
    return count;
  }
}
