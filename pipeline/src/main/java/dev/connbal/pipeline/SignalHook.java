package dev.connbal.pipeline;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Delivers SIGINT and SIGTERM to {@link InterruptHook} actions, and restores the previous handlers
 * when closed, so that a signal after that stops the process as the JVM would (its handler exits
 * with 128 plus the signal's number). Handlers nest: stdin spooling takes SIGINT over from a run's
 * stop action while it spools, and gives it back when it ends.
 */
final class SignalHook implements InterruptHook {
  private static final Signal SIGINT = new Signal("INT");
  private static final Signal SIGTERM = new Signal("TERM");

  @Override
  public AutoCloseable onInterrupt(Runnable action) {
    SignalHandler previous = Signal.handle(SIGINT, signal -> action.run());
    return () -> Signal.handle(SIGINT, previous);
  }

  @Override
  public AutoCloseable onStop(StopAction action) {
    SignalHandler handler =
        signal ->
            action.stopped(
                "SIG" + signal.getName(), ConnBalCommand.EXIT_SIGNAL_BASE + signal.getNumber());
    SignalHandler previousInt = Signal.handle(SIGINT, handler);
    SignalHandler previousTerm = Signal.handle(SIGTERM, handler);
    return () -> {
      Signal.handle(SIGTERM, previousTerm);
      Signal.handle(SIGINT, previousInt);
    };
  }
}
