package dev.connbal.transforms;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The backend table that pass 2 counts against: for every DNS (client, backend) pair, the backend's
 * first DNS appearance. Small (one entry per pair DNS produced) and immutable; pass 2 takes it as
 * one singleton side input, so a lookup is a hash lookup on every runner (a map view would be
 * rebuilt from its entries on every access by the Direct runner).
 */
final class BackendTable {
  static final BackendTable EMPTY = new BackendTable(Map.of());

  private final Map<Long, Long> firstSeenByPair;

  private BackendTable(Map<Long, Long> firstSeenByPair) {
    this.firstSeenByPair = firstSeenByPair;
  }

  /** A table of the given (client, backend) pairs ({@link ClientBackend}) and first appearances. */
  static BackendTable of(Map<Long, Long> firstSeenByPair) {
    return new BackendTable(Map.copyOf(firstSeenByPair));
  }

  /** First DNS appearance of the backend of the pair, or null when the pair is not a DNS pair. */
  Long firstSeen(long pair) {
    return firstSeenByPair.get(pair);
  }

  boolean contains(long pair) {
    return firstSeenByPair.containsKey(pair);
  }

  boolean isEmpty() {
    return firstSeenByPair.isEmpty();
  }

  /** The entries, for the coder. */
  Map<Long, Long> entries() {
    return new HashMap<>(firstSeenByPair);
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
