package dev.connbal.pipeline;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Interrupts that a test delivers: keeps the run's stop action and hands it SIGINT on {@link
 * #interrupt}, as {@link SignalHook} does for the process's signal; interrupts for stdin are never
 * delivered.
 */
class TestInterrupts implements InterruptHook {
  private final AtomicReference<StopAction> stop = new AtomicReference<>();

  @Override
  public AutoCloseable onInterrupt(Runnable action) {
    return () -> {};
  }

  @Override
  public AutoCloseable onStop(StopAction action) {
    stop.set(action);
    return () -> {};
  }

  /** A Ctrl-C: SIGINT to the run's stop action, which must be installed by now. */
  void interrupt() {
    stop.get().stopped("SIGINT", 130);
  }
}
