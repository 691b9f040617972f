package dev.connbal.pipeline;

/**
 * How a connbal run ended: the kind the run report names ({@code "kind"} in the JSON, and in
 * brackets on stderr for the report's own failure), with the exit status it gives. The statuses
 * keep the scheme scripts already rely on (0 success, 1 usage, 2 the input or the run failed); a
 * failed run report adds 3, and a stop signal gives what a shell shows for a process the signal
 * killed (128 plus its number), so that a scheduler sees the same status either way.
 */
enum ExitKind {
  OK(ConnBalCommand.EXIT_OK, "success"),
  USAGE_ERROR(ConnBalCommand.EXIT_USAGE, "the command line is wrong; nothing was analyzed"),
  INPUT_ERROR(
      ConnBalCommand.EXIT_INPUT_ERROR,
      "an input could not be read; the results of everything that could be read were written"),
  RUN_FAILED(ConnBalCommand.EXIT_INPUT_ERROR, "the run failed and wrote no results"),
  NOT_DRAINED(
      ConnBalCommand.EXIT_INPUT_ERROR,
      "the watch ended, but its Flink job could not be stopped with drain and was cancelled: the"
          + " window files written are whole, the last ones and the counters may be missing"),
  INTERRUPTED(
      ConnBalCommand.EXIT_SIGNAL_BASE,
      "stopped by a signal (SIGINT or SIGTERM) before the run finished"),
  REPORT_NOT_WRITTEN(
      ConnBalCommand.EXIT_REPORT_NOT_WRITTEN,
      "the run succeeded, but its --run-report file could not be written");

  private final int exitStatus;
  private final String meaning;

  ExitKind(int exitStatus, String meaning) {
    this.exitStatus = exitStatus;
    this.meaning = meaning;
  }

  /**
   * The exit status of this kind; for {@link #INTERRUPTED} the base that the signal's number is
   * added to.
   */
  int exitStatus() {
    return exitStatus;
  }

  /** One sentence for people reading the report. */
  String meaning() {
    return meaning;
  }
}
