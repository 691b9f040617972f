package dev.connbal.transforms;

import java.util.Comparator;

/**
 * Where a packet sits on the one timeline of SEMANTICS.md: its timestamp, then (for ties) its file
 * and its record's byte offset in that file, so that ties keep file order and files order by name.
 */
record OrderKey(long timestampMicros, String file, long recordOffset)
    implements Comparable<OrderKey> {
  private static final Comparator<OrderKey> ORDER =
      Comparator.comparingLong(OrderKey::timestampMicros)
          .thenComparing(OrderKey::file)
          .thenComparingLong(OrderKey::recordOffset);

  OrderKey {
    if (file == null) {
      throw new NullPointerException("file");
    }
  }

  @Override
  public int compareTo(OrderKey o) {
    return ORDER.compare(this, o);
  }
}
