package dev.connbal.pipeline;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Exit code, stdout and stderr of one {@link ConnBalCommand#run} call. */
final class CommandOutcome {
  final int exitCode;
  final String out;
  final String err;

  private CommandOutcome(int exitCode, String out, String err) {
    this.exitCode = exitCode;
    this.out = out;
    this.err = err;
  }

  static CommandOutcome run(String... args) {
    return runWithStdin(new ByteArrayInputStream(new byte[0]), args);
  }

  static CommandOutcome run(List<String> args) {
    return run(args.toArray(new String[0]));
  }

  static CommandOutcome runWithStdin(InputStream stdin, String... args) {
    return runWith(InterruptHook.none(), stdin, args);
  }

  /** Runs the command with {@code interrupts} standing in for the process's signals. */
  static CommandOutcome runWith(InterruptHook interrupts, InputStream stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exitCode;
    try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      exitCode = new ConnBalCommand(interrupts, false).execute(args, stdin, outStream, errStream);
    }
    return new CommandOutcome(
        exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
  }
}
