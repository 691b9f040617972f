package dev.connbal.bench;

import java.io.IOException;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * The clock of a traffic simulation: it advances by 1 to {@value #MAX_GAP_MICROS} µs with every
 * packet written, so timestamps strictly increase in file order. Future packets (DNS responses, SYN
 * retransmissions, the connection that follows a lookup) wait in a queue and go out, at the current
 * clock, once their due time has come; actions due at the same time run in the order they were
 * scheduled.
 */
final class SimulationClock {
  /** 2025-11-24 16:00:00 UTC: the capture's first timestamp. */
  static final long START_MICROS = 1_764_000_000L * 1_000_000L;

  static final int MAX_GAP_MICROS = 40;

  /** Something to do at a due time: usually writing a packet. */
  @FunctionalInterface
  interface Action {
    void run() throws IOException;
  }

  private record Scheduled(long due, long order, Action action) {}

  private final SplittableRandom rnd;
  private final PriorityQueue<Scheduled> pending =
      new PriorityQueue<>(
          Comparator.comparingLong(Scheduled::due).thenComparingLong(Scheduled::order));
  private long now = START_MICROS;
  private long scheduled;

  SimulationClock(SplittableRandom rnd) {
    this.rnd = rnd;
  }

  /** The timestamp for the next packet; advances the clock. */
  long tick() {
    long t = now;
    now += 1 + rnd.nextInt(MAX_GAP_MICROS);
    return t;
  }

  /** The time the next packet will carry. */
  long now() {
    return now;
  }

  void schedule(long due, Action action) {
    pending.add(new Scheduled(due, scheduled++, action));
  }

  /** Runs every action that is due by now. */
  void runDue() throws IOException {
    while (!pending.isEmpty() && pending.peek().due() <= now) {
      pending.poll().action().run();
    }
  }

  /** Runs every pending action, moving the clock forward to each one's due time. */
  void drain() throws IOException {
    while (!pending.isEmpty()) {
      now = Math.max(now, pending.peek().due());
      runDue();
    }
  }
}
