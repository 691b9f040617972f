package dev.connbal.transforms.events;

import java.io.Serializable;

/**
 * Where a packet sits on the one timeline of SEMANTICS.md: its timestamp, then (for ties) its file
 * and its record's byte offset in that file, so that ties keep file order and files order by name.
 */
public record OrderKey(long timestampMicros, String file, long recordOffset)
    implements Comparable<OrderKey>, Serializable {
  public OrderKey {
    if (file == null) {
      throw new NullPointerException("file");
    }
  }

  @Override
  // The == is only a fast path: events of one partial share one file string; equals follows.
  @SuppressWarnings("ReferenceEquality")
  public int compareTo(OrderKey o) {
    // Written out rather than a Comparator chain: the timeline compares millions of keys, nearly
    // all of them apart in time, and events of one partial share one file string.
    int byTime = Long.compare(timestampMicros, o.timestampMicros);
    if (byTime != 0) {
      return byTime;
    }
    int byFile = file == o.file ? 0 : file.compareTo(o.file);
    return byFile != 0 ? byFile : Long.compare(recordOffset, o.recordOffset);
  }
}
