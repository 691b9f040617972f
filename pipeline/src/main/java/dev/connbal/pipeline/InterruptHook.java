package dev.connbal.pipeline;

/**
 * Where an operator's interrupt (Ctrl-C) and a scheduler's stop (SIGTERM, as {@code timeout} or
 * systemd send it) come from. While stdin is spooled, connbal stops spooling on an interrupt and
 * analyzes what arrived, like the original tool; while a run goes on, a stop ends it with the
 * signal's exit status, after the run report is written.
 */
@FunctionalInterface
interface InterruptHook {
  /** Runs {@code action} on each interrupt until the returned handle is closed. */
  AutoCloseable onInterrupt(Runnable action);

  /**
   * Runs {@code action} on each stop signal (SIGINT or SIGTERM) until the returned handle is
   * closed. A hook that only knows interrupts (a test's) never delivers one.
   */
  default AutoCloseable onStop(StopAction action) {
    return () -> {};
  }

  /** What a run does when it is told to stop. */
  @FunctionalInterface
  interface StopAction {
    /**
     * Called when the process is told to stop by {@code signal}.
     *
     * @param signal the signal's name, such as {@code SIGTERM}
     * @param exitStatus the status a process killed by it reports: 128 plus its number
     */
    void stopped(String signal, int exitStatus);
  }

  /** A hook that never fires: for callers without a terminal, such as tests and embedders. */
  static InterruptHook none() {
    return action -> () -> {};
  }
}
