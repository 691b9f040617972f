package dev.connbal.pipeline;

/**
 * Turns a failure into the one line an operator reads: the innermost cause's message (where the
 * real reason usually is), without stack trace or line breaks.
 */
final class OneLine {
  private OneLine() {}

  static String of(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    String text = message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
    return text.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
  }
}
