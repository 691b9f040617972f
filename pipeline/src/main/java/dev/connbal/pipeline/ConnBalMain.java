package dev.connbal.pipeline;

/**
 * Process entry point of the shaded jar: runs {@link ConnBalCommand} on the real stdin, stdout and
 * stderr, with Ctrl-C ending stdin spooling and SIGINT or SIGTERM ending a run (once its {@code
 * --run-report} is written), and exits with its code: the run's thread may still be busy after a
 * stop, and the exit ends it. The launcher sets {@code -Dconnbal.progress=true} when stderr is a
 * terminal, which turns on the live progress line.
 */
public final class ConnBalMain {
  private ConnBalMain() {}

  public static void main(String[] args) {
    boolean liveProgress = Boolean.getBoolean("connbal.progress");
    Thread.setDefaultUncaughtExceptionHandler(ConnBalMain::uncaught);
    int exitCode =
        new ConnBalCommand(new SignalHook(), liveProgress)
            .execute(args, System.in, System.out, System.err);
    System.out.flush();
    System.exit(exitCode);
  }

  /**
   * Prints an uncaught exception as the JVM would, except one: after an embedded Flink run, the JVM
   * hook of Flink's RPC actor system sometimes runs after Flink has closed the class loader it
   * needs, and fails with a NoClassDefFoundError that says nothing about the run (its results are
   * already written and the process is exiting). Seen once in many runs; it would otherwise put a
   * stack trace among connbal's own stderr lines.
   */
  static void uncaught(Thread thread, Throwable e) {
    if (e instanceof NoClassDefFoundError && thread.getName().startsWith("flink-shutdown-hook")) {
      return;
    }
    System.err.print("Exception in thread \"" + thread.getName() + "\" ");
    e.printStackTrace(System.err);
  }
}
