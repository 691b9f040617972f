package dev.connbal.transforms.timeline;

import dev.connbal.transforms.keys.ClientBackend;
import dev.connbal.transforms.keys.IpAddress;
import dev.connbal.transforms.keys.Shards;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The backend table that connections are counted against: for every DNS (client, backend) pair, the
 * backend's first DNS appearance. Small (one entry per pair DNS produced) and immutable; the SYN
 * count takes it whole; with -a, pass 2 takes it as a side input in pieces ({@link #piecesOfFacts})
 * and {@link #union}s them once, so that a lookup is a hash lookup on every runner (a map view
 * would be rebuilt from its entries on every access by the Direct runner).
 *
 * <p>Pairs are looked up for every SYN (every TCP segment with -a), so lookups go through an
 * open-addressing index of primitive longs (each pair's four address halves) with a well-mixed
 * hash, and make no key object.
 */
public final class BackendTable {
  /** What {@link #firstSeenOrAbsent} returns for a pair that is not in the table. */
  public static final long ABSENT = Long.MIN_VALUE;

  private final SortedMap<ClientBackend, Long> firstSeenByPair;

  /** Per slot, the pair's four address halves (client high, low, backend high, low). */
  private final long[] slotPairs;

  private final long[] slotFirstSeen;
  private final boolean[] slotUsed;
  private final int mask;

  private BackendTable(SortedMap<ClientBackend, Long> firstSeenByPair) {
    this.firstSeenByPair = firstSeenByPair;
    // At most half full, so that a probe ends after a few slots.
    int capacity = Integer.highestOneBit(Math.max(1, firstSeenByPair.size()) * 2) * 2;
    slotPairs = new long[4 * capacity];
    slotFirstSeen = new long[capacity];
    slotUsed = new boolean[capacity];
    mask = capacity - 1;
    firstSeenByPair.forEach(
        (pair, firstSeen) -> {
          IpAddress c = pair.client();
          IpAddress b = pair.backend();
          int i = slot(c.high(), c.low(), b.high(), b.low());
          while (slotUsed[i]) {
            i = (i + 1) & mask;
          }
          slotUsed[i] = true;
          slotPairs[4 * i] = c.high();
          slotPairs[4 * i + 1] = c.low();
          slotPairs[4 * i + 2] = b.high();
          slotPairs[4 * i + 3] = b.low();
          slotFirstSeen[i] = firstSeen;
        });
  }

  private int slot(long clientHigh, long clientLow, long backendHigh, long backendLow) {
    return (int) Shards.mix(ClientBackend.hash(clientHigh, clientLow, backendHigh, backendLow))
        & mask;
  }

  /**
   * First DNS appearance of the backend of the pair given by its addresses' halves ({@link
   * IpAddress}), or {@link #ABSENT}. Allocation-free: called for every SYN, with -a for every TCP
   * segment.
   */
  public long firstSeenOrAbsent(
      long clientHigh, long clientLow, long backendHigh, long backendLow) {
    int slot = slotOf(clientHigh, clientLow, backendHigh, backendLow);
    return slot < 0 ? ABSENT : slotFirstSeen[slot];
  }

  /**
   * The slot of the pair given by its addresses' halves, or -1 when it is not in the table: a
   * number below {@link #slots()} that names the pair for {@link #firstSeenAt} and {@link #pairAt},
   * so that a count per pair needs no key object per lookup. Allocation-free.
   */
  public int slotOf(long clientHigh, long clientLow, long backendHigh, long backendLow) {
    for (int i = slot(clientHigh, clientLow, backendHigh, backendLow);
        slotUsed[i];
        i = (i + 1) & mask) {
      if (slotPairs[4 * i + 1] == clientLow
          && slotPairs[4 * i + 3] == backendLow
          && slotPairs[4 * i] == clientHigh
          && slotPairs[4 * i + 2] == backendHigh) {
        return i;
      }
    }
    return -1;
  }

  /** How many slots there are: every {@link #slotOf} is below it. */
  public int slots() {
    return slotFirstSeen.length;
  }

  /** First DNS appearance of the backend of the pair in {@code slot}, from {@link #slotOf}. */
  public long firstSeenAt(int slot) {
    return slotFirstSeen[slot];
  }

  /** The pair in {@code slot}, from {@link #slotOf}. */
  public ClientBackend pairAt(int slot) {
    return ClientBackend.of(
        IpAddress.of(slotPairs[4 * slot], slotPairs[4 * slot + 1]),
        IpAddress.of(slotPairs[4 * slot + 2], slotPairs[4 * slot + 3]));
  }

  /** First DNS appearance of the backend of {@code pair}, or {@link #ABSENT}. */
  public long firstSeenOrAbsent(ClientBackend pair) {
    return firstSeenOrAbsent(
        pair.client().high(), pair.client().low(), pair.backend().high(), pair.backend().low());
  }

  /** A table of the given (client, backend) pairs and first appearances. */
  public static BackendTable of(Map<ClientBackend, Long> firstSeenByPair) {
    return new BackendTable(Collections.unmodifiableSortedMap(new TreeMap<>(firstSeenByPair)));
  }

  /** The table of the backends' first appearances that {@code facts} hold. */
  public static BackendTable ofFacts(Iterable<BackendFacts> facts) {
    Map<ClientBackend, Long> firstSeenByPair = new TreeMap<>();
    for (BackendFacts f : facts) {
      firstSeenByPair.put(f.pair(), f.firstSeenMicros());
    }
    return of(firstSeenByPair);
  }

  /**
   * The table of the backends' first appearances that {@code facts} hold, in tables of at most
   * {@code maxPairs} pairs each (at least one table), whose {@link #union} is that table: the
   * pieces of a side input that grows with the run ({@link dev.connbal.transforms.MergedPieces}).
   */
  public static List<BackendTable> piecesOfFacts(Iterable<BackendFacts> facts, int maxPairs) {
    if (maxPairs < 1) {
      throw new IllegalArgumentException("a piece holds at least one pair, not " + maxPairs);
    }
    SortedMap<ClientBackend, Long> all = ofFacts(facts).firstSeenByPair;
    List<BackendTable> pieces = new ArrayList<>();
    Map<ClientBackend, Long> piece = new TreeMap<>();
    for (Map.Entry<ClientBackend, Long> e : all.entrySet()) {
      if (piece.size() == maxPairs) {
        pieces.add(of(piece));
        piece = new TreeMap<>();
      }
      piece.put(e.getKey(), e.getValue());
    }
    if (!piece.isEmpty() || pieces.isEmpty()) {
      pieces.add(of(piece));
    }
    return pieces;
  }

  /** The table of every entry of {@code tables}, which hold different pairs. */
  public static BackendTable union(Iterable<BackendTable> tables) {
    Map<ClientBackend, Long> firstSeenByPair = new TreeMap<>();
    for (BackendTable t : tables) {
      firstSeenByPair.putAll(t.firstSeenByPair);
    }
    return of(firstSeenByPair);
  }

  public boolean isEmpty() {
    return firstSeenByPair.isEmpty();
  }

  /** The entries, in pair order; for the coder. */
  public SortedMap<ClientBackend, Long> entries() {
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
