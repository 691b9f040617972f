package dev.connbal.snoop;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A JVM-wide request to stop reading captures, for a local run's first interrupt (SEMANTICS.md
 * "Interrupting a run"): every read of this process ends at its next record as if its range ended
 * there, and every watch ({@link WatchCaptures}) ends at its next poll, so that the run goes on to
 * its results with what was read. Runners in this JVM only (Direct, embedded Flink): workers of a
 * cluster never see it.
 */
public final class StopReading {
  private static final AtomicBoolean REQUESTED = new AtomicBoolean();

  private StopReading() {}

  /** Asks every read and watch of this JVM to stop. */
  public static void request() {
    REQUESTED.set(true);
  }

  /** Whether a stop was asked for. */
  public static boolean requested() {
    return REQUESTED.get();
  }

  /** Lets reads go on again: for a JVM that runs several pipelines, such as tests. */
  public static void reset() {
    REQUESTED.set(false);
  }
}
