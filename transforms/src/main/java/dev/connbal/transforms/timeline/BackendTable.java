package dev.connbal.transforms.timeline;

import dev.connbal.transforms.keys.ClientBackend;
import dev.connbal.transforms.keys.Shards;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The backend table that connections are counted against: for every DNS (client, backend) pair, the
 * backend's first DNS appearance. Small (one entry per pair DNS produced) and immutable; the SYN
 * count (and with -a, pass 2) takes it as one singleton side input, so a lookup is a hash lookup on
 * every runner (a map view would be rebuilt from its entries on every access by the Direct runner).
 *
 * <p>Pairs are looked up for every SYN (every TCP segment with -a), so lookups go through an
 * open-addressing index of primitive longs with a well-mixed hash: a boxed map hashes a pair by
 * XOR-ing its two addresses, which for clients and backends of the same subnets collides heavily.
 */
public final class BackendTable {
  /** What {@link #firstSeenOrAbsent} returns for a pair that is not in the table. */
  public static final long ABSENT = Long.MIN_VALUE;

  private final Map<Long, Long> firstSeenByPair;
  private final long[] slotPairs;
  private final long[] slotFirstSeen;
  private final boolean[] slotUsed;
  private final int mask;

  private BackendTable(Map<Long, Long> firstSeenByPair) {
    this.firstSeenByPair = firstSeenByPair;
    // At most half full, so that a probe ends after a few slots.
    int capacity = Integer.highestOneBit(Math.max(1, firstSeenByPair.size()) * 2) * 2;
    slotPairs = new long[capacity];
    slotFirstSeen = new long[capacity];
    slotUsed = new boolean[capacity];
    mask = capacity - 1;
    firstSeenByPair.forEach(
        (pair, firstSeen) -> {
          int i = slot(pair);
          while (slotUsed[i]) {
            i = (i + 1) & mask;
          }
          slotUsed[i] = true;
          slotPairs[i] = pair;
          slotFirstSeen[i] = firstSeen;
        });
  }

  private int slot(long pair) {
    return (int) Shards.mix(pair) & mask;
  }

  /** First DNS appearance of the backend of the pair, or {@link #ABSENT}. */
  public long firstSeenOrAbsent(long pair) {
    for (int i = slot(pair); slotUsed[i]; i = (i + 1) & mask) {
      if (slotPairs[i] == pair) {
        return slotFirstSeen[i];
      }
    }
    return ABSENT;
  }

  /**
   * A table of the given (client, backend) pairs ({@link ClientBackend}) and first appearances.
   * Held in a tree: a hash map of boxed pairs collides as the index's comment says, and {@code
   * Map.copyOf}'s linear probing then turns quadratic.
   */
  public static BackendTable of(Map<Long, Long> firstSeenByPair) {
    return new BackendTable(Collections.unmodifiableMap(new TreeMap<>(firstSeenByPair)));
  }

  /** The table of the backends' first appearances that {@code facts} hold. */
  public static BackendTable ofFacts(Iterable<BackendFacts> facts) {
    Map<Long, Long> firstSeenByPair = new TreeMap<>();
    for (BackendFacts f : facts) {
      firstSeenByPair.put(f.pair(), f.firstSeenMicros());
    }
    return of(firstSeenByPair);
  }

  /** The table of every entry of {@code tables}, which hold different pairs. */
  public static BackendTable union(Iterable<BackendTable> tables) {
    Map<Long, Long> firstSeenByPair = new TreeMap<>();
    for (BackendTable t : tables) {
      firstSeenByPair.putAll(t.firstSeenByPair);
    }
    return of(firstSeenByPair);
  }

  public boolean isEmpty() {
    return firstSeenByPair.isEmpty();
  }

  /** The entries, for the coder. */
  public Map<Long, Long> entries() {
    return firstSeenByPair;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BackendTable t && firstSeenByPair.equals(t.firstSeenByPair);
  }

  @Override
  public int hashCode() {
    return Objects.hash(firstSeenByPair);
  }

  @Override
  public String toString() {
    return "BackendTable{" + firstSeenByPair.size() + " pairs}";
  }
}
