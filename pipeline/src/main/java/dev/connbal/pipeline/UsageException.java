package dev.connbal.pipeline;

import java.util.Optional;

/**
 * A command line connbal cannot run: the message says what is wrong, in one line. When it comes
 * from {@link CommandLine#parse}, it carries what the rest of the line gave, so that the usage
 * error can still go to the {@code --run-report} file.
 */
final class UsageException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Not serialized: only the command that caught the exception reads it. */
  private final transient CommandLine parsed;

  UsageException(String message) {
    this(message, null);
  }

  UsageException(String message, CommandLine parsed) {
    super(message);
    this.parsed = parsed;
  }

  /** The settings the command line gave despite the problem, if the parser got that far. */
  Optional<CommandLine> parsed() {
    return Optional.ofNullable(parsed);
  }
}
