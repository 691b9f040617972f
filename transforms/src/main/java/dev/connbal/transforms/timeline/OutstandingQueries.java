package dev.connbal.transforms.timeline;

import dev.connbal.transforms.events.DnsEvent;
import dev.connbal.transforms.events.OrderKey;
import dev.connbal.transforms.events.QueryKey;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The DNS queries that may still be answered (SEMANTICS.md "Events"): a response matches an
 * identical query sent less than 10 s before it (0 &lt;= dt &lt; 10 s); each query is answered at
 * most once, and of several identical outstanding queries the latest is answered.
 *
 * <p>Fed in timeline order. Queries older than the window are forgotten as time advances, so memory
 * stays proportional to the queries of the last 10 seconds.
 */
public final class OutstandingQueries implements Serializable {
  private static final long serialVersionUID = 1L;

  static final long MATCH_WINDOW_MICROS = 10_000_000L;

  /** One query sent; {@code answered} once a response took it. */
  private static final class Sent implements Serializable {
    private static final long serialVersionUID = 1L;

    final QueryKey key;
    final long timestampMicros;
    boolean answered;

    Sent(QueryKey key, long timestampMicros) {
      this.key = key;
      this.timestampMicros = timestampMicros;
    }
  }

  /** The unanswered, unexpired queries per identity, oldest first. */
  private final Map<QueryKey, ArrayDeque<Sent>> byKey = new HashMap<>();

  /**
   * Every query in send order until it expires, answered or not: expiring an answered query needs
   * no lookup, and nearly all queries are answered.
   */
  private final ArrayDeque<Sent> bySendTime = new ArrayDeque<>();

  private long now = Long.MIN_VALUE;
  private @Nullable OrderKey last;

  /**
   * Takes the next event of the timeline: a query is sent, a response answers; returns true when it
   * is a response that matched a query. Events must come in {@link OrderKey} order.
   */
  boolean matchedResponse(DnsEvent event) {
    if (last != null && event.order().compareTo(last) < 0) {
      throw new IllegalStateException("DNS event " + event.order() + " arrived after " + last);
    }
    last = event.order();
    long timestamp = event.order().timestampMicros();
    if (!event.isResponse()) {
      sent(event.query(), timestamp);
      return false;
    }
    return answer(event.query(), timestamp);
  }

  void sent(QueryKey key, long timestampMicros) {
    advanceTo(timestampMicros);
    Sent sent = new Sent(key, timestampMicros);
    byKey.computeIfAbsent(key, k -> new ArrayDeque<>(2)).addLast(sent);
    bySendTime.addLast(sent);
  }

  /**
   * Consumes the latest outstanding query identical to {@code key} sent less than the match window
   * before {@code timestampMicros}; returns false when there is none.
   */
  boolean answer(QueryKey key, long timestampMicros) {
    advanceTo(timestampMicros);
    ArrayDeque<Sent> waiting = byKey.get(key);
    if (waiting == null) {
      return false;
    }
    waiting.pollLast().answered = true;
    if (waiting.isEmpty()) {
      byKey.remove(key);
    }
    return true;
  }

  /**
   * Writes the queries in send order, each with whether it was answered; the queries per identity
   * are the unanswered ones among them, so they are not written apart.
   */
  void writeTo(DataOutput out) throws IOException {
    out.writeLong(now);
    out.writeBoolean(last != null);
    if (last != null) {
      TimelineState.writeOrder(last, out);
    }
    out.writeInt(bySendTime.size());
    for (Sent sent : bySendTime) {
      TimelineState.writeQuery(sent.key, out);
      out.writeLong(sent.timestampMicros);
      out.writeBoolean(sent.answered);
    }
  }

  /** The queries {@link #writeTo} wrote. */
  static OutstandingQueries readFrom(DataInput in) throws IOException {
    OutstandingQueries q = new OutstandingQueries();
    q.now = in.readLong();
    q.last = in.readBoolean() ? TimelineState.readOrder(in) : null;
    for (int i = TimelineState.count(in); i > 0; i--) {
      Sent sent = new Sent(TimelineState.readQuery(in), in.readLong());
      sent.answered = in.readBoolean();
      q.bySendTime.addLast(sent);
      if (!sent.answered) {
        q.byKey.computeIfAbsent(sent.key, k -> new ArrayDeque<>(2)).addLast(sent);
      }
    }
    return q;
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
    while (!bySendTime.isEmpty() && expired(bySendTime.peekFirst())) {
      Sent oldest = bySendTime.pollFirst();
      if (oldest.answered) {
        continue;
      }
      // Older queries of the same identity expired before it, and answers take the newest: an
      // unanswered query that expires is the first of its identity's queue.
      ArrayDeque<Sent> waiting = byKey.get(oldest.key);
      waiting.pollFirst();
      if (waiting.isEmpty()) {
        byKey.remove(oldest.key);
      }
    }
  }

  private boolean expired(Sent sent) {
    return now - sent.timestampMicros >= MATCH_WINDOW_MICROS;
  }
}
