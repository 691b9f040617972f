package dev.connbal.transforms.window;

import dev.connbal.transforms.count.AttemptIds;
import dev.connbal.transforms.keys.IpAddress;
import dev.connbal.transforms.timeline.TimelineState;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The connection attempts of one shard's clients begun in the last {@link
 * AttemptIds#RETRANSMIT_WINDOW_MICROS} (SEMANTICS.md: a SYN with the id of such an attempt to the
 * same destination retransmits it), whatever their destination: what a windowed run keeps of the
 * SYNs, bounded by time and not by the length of the run.
 */
final class RecentAttempts implements Serializable {
  private static final long serialVersionUID = 1L;

  /** An attempt: its destination (client, server, port) and id. */
  private record Attempt(IpAddress client, IpAddress server, int port, long id)
      implements Serializable {}

  /** First-SYN time of each open attempt. */
  private final Map<Attempt, Long> started = new HashMap<>();

  /** The open attempts in order of their first SYN, from whose head they expire. */
  private final ArrayDeque<Attempt> byStart = new ArrayDeque<>();

  private long latest = Long.MIN_VALUE;

  /**
   * Whether {@code syn} begins an attempt (true) or retransmits an open one (false). A SYN older
   * than one seen before (a late one) expires nothing: it is judged against the attempts still
   * open.
   */
  boolean begins(TimedEvent syn) {
    long time = syn.timeMicros();
    if (time > latest) {
      latest = time;
      while (!byStart.isEmpty()
          && time - started.get(byStart.peekFirst()) >= AttemptIds.RETRANSMIT_WINDOW_MICROS) {
        started.remove(byStart.pollFirst());
      }
    }
    Attempt a = new Attempt(syn.client(), syn.server(), syn.port(), syn.attempt());
    Long start = started.get(a);
    if (start != null && Math.abs(time - start) < AttemptIds.RETRANSMIT_WINDOW_MICROS) {
      return false;
    }
    if (start == null) {
      byStart.addLast(a);
    }
    started.put(a, time);
    return true;
  }

  /** Writes the open attempts in order of their first SYN, each with its time. */
  void writeTo(DataOutput out) throws IOException {
    out.writeLong(latest);
    out.writeInt(byStart.size());
    for (Attempt a : byStart) {
      a.client().writeData(out);
      a.server().writeData(out);
      out.writeInt(a.port());
      out.writeLong(a.id());
      out.writeLong(started.get(a));
    }
  }

  /** The attempts {@link #writeTo} wrote. */
  static RecentAttempts readFrom(DataInput in) throws IOException {
    RecentAttempts attempts = new RecentAttempts();
    attempts.latest = in.readLong();
    for (int i = TimelineState.count(in); i > 0; i--) {
      Attempt a =
          new Attempt(IpAddress.readData(in), IpAddress.readData(in), in.readInt(), in.readLong());
      attempts.byStart.addLast(a);
      attempts.started.put(a, in.readLong());
    }
    return attempts;
  }

  /** How many attempts are open; for tests of the bound. */
  int size() {
    return started.size();
  }
}
