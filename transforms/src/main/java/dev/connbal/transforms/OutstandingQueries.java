package dev.connbal.transforms;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The DNS queries that may still be answered (SEMANTICS.md "Events"): a response matches an
 * identical query sent less than 10 s before it (0 &lt;= dt &lt; 10 s); each query is answered at
 * most once, and of several identical outstanding queries the latest is answered.
 *
 * <p>Fed in timeline order. Queries older than the window are forgotten as time advances, so memory
 * stays proportional to the queries of the last 10 seconds.
 */
final class OutstandingQueries {
  static final long MATCH_WINDOW_MICROS = 10_000_000L;

  private record Sent(QueryKey key, long timestampMicros) {}

  /** Send times per query identity, oldest first. */
  private final Map<QueryKey, ArrayDeque<Long>> byKey = new HashMap<>();

  /** Every query in send order, to forget expired ones without scanning the map. */
  private final ArrayDeque<Sent> bySendTime = new ArrayDeque<>();

  private long now = Long.MIN_VALUE;

  void sent(QueryKey key, long timestampMicros) {
    advanceTo(timestampMicros);
    byKey.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(timestampMicros);
    bySendTime.addLast(new Sent(key, timestampMicros));
  }

  /**
   * Consumes the latest outstanding query identical to {@code key} sent less than the match window
   * before {@code timestampMicros}; returns false when there is none.
   */
  boolean answer(QueryKey key, long timestampMicros) {
    advanceTo(timestampMicros);
    ArrayDeque<Long> times = byKey.get(key);
    if (times == null) {
      return false;
    }
    times.pollLast();
    if (times.isEmpty()) {
      byKey.remove(key);
    }
    return true;
  }

  /** Number of queries still waiting for an answer; for tests of the memory bound. */
  int size() {
    return byKey.values().stream().mapToInt(ArrayDeque::size).sum();
  }

  private void advanceTo(long timestampMicros) {
    if (timestampMicros < now) {
      throw new IllegalStateException(
          "DNS events out of time order: " + timestampMicros + " after " + now);
    }
    now = timestampMicros;
    while (!bySendTime.isEmpty() && expired(bySendTime.peekFirst().timestampMicros())) {
      QueryKey key = bySendTime.pollFirst().key();
      ArrayDeque<Long> times = byKey.get(key);
      // Entries already answered left stale queue entries behind: only drop times truly expired.
      while (times != null && !times.isEmpty() && expired(times.peekFirst())) {
        times.pollFirst();
      }
      if (times != null && times.isEmpty()) {
        byKey.remove(key);
      }
    }
  }

  private boolean expired(long sentMicros) {
    return now - sentMicros >= MATCH_WINDOW_MICROS;
  }
}
