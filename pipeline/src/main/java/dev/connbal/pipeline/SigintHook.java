package dev.connbal.pipeline;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Delivers SIGINT to an {@link InterruptHook} action, and restores the previous handler (the
 * JVM's, which exits) when closed, so that a later Ctrl-C still stops the process.
 */
final class SigintHook implements InterruptHook {
  private static final Signal SIGINT = new Signal("INT");

  @Override
  public AutoCloseable onInterrupt(Runnable action) {
    SignalHandler previous = Signal.handle(SIGINT, signal -> action.run());
    return () -> Signal.handle(SIGINT, previous);
  }
}
