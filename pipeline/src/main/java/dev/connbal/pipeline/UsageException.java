package dev.connbal.pipeline;

/** A command line connbal cannot run: the message says what is wrong, in one line. */
final class UsageException extends Exception {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
