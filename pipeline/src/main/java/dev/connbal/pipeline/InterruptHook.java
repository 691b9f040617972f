package dev.connbal.pipeline;

/**
 * Where an operator's interrupt (Ctrl-C) comes from. While stdin is spooled, connbal stops
 * spooling on an interrupt and analyzes what arrived, like the original tool.
 */
@FunctionalInterface
interface InterruptHook {
  /** Runs {@code action} on each interrupt until the returned handle is closed. */
  AutoCloseable onInterrupt(Runnable action);

  /** A hook that never fires: for callers without a terminal, such as tests and embedders. */
  static InterruptHook none() {
    return action -> () -> {};
  }
}
