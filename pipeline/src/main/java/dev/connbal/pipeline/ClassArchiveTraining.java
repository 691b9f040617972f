package dev.connbal.pipeline;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;

/**
 * The workload the {@code ./connbal} launcher runs once per build of the shaded jar, in a JVM
 * started with {@code -XX:ArchiveClassesAtExit}: the JVM then writes the classes a connbal run
 * loads into a class data sharing archive, which later runs map instead of loading, verifying and
 * linking some 7000 classes from the jar again. It analyzes one capture on the Direct runner and on
 * embedded Flink, so that runs on either find their classes archived, and discards the output. The
 * exit status is 0 only when both runs succeeded, so that the launcher keeps no archive of a run
 * that went wrong.
 */
public final class ClassArchiveTraining {
  private static final List<String> RUNNERS = List.of("DirectRunner", "FlinkRunner");

  private ClassArchiveTraining() {}

  /** {@code args}: the path of a capture connbal reads without errors. */
  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: ClassArchiveTraining CAPTURE");
      System.exit(ConnBalCommand.EXIT_USAGE);
    }
    PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
    int exitCode = ConnBalCommand.EXIT_OK;
    for (String runner : RUNNERS) {
      int runExit =
          ConnBalCommand.run(
              new String[] {"-f", args[0], "--runner=" + runner},
              InputStream.nullInputStream(),
              discard,
              discard);
      if (runExit != ConnBalCommand.EXIT_OK) {
        System.err.println("ClassArchiveTraining: the run on " + runner + " exited " + runExit);
        exitCode = runExit;
      }
    }
    // Embedded Flink leaves non-daemon threads behind; the archive is written at exit.
    System.exit(exitCode);
  }
}
