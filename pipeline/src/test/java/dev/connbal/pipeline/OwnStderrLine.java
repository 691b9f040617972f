package dev.connbal.pipeline;

import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeMatcher;

/**
 * Matches the lines connbal itself writes to stderr, its messages ({@code connbal: ...}) and the
 * run report ({@code label: number}), and so tells them from library log lines.
 */
final class OwnStderrLine extends TypeSafeMatcher<String> {
  private static final String PATTERN = "connbal: .*|[A-Za-z][A-Za-z0-9 ,()/-]*: [0-9]+.*";

  static Matcher<String> ownStderrLine() {
    return new OwnStderrLine();
  }

  @Override
  protected boolean matchesSafely(String line) {
    return line.matches(PATTERN);
  }

  @Override
  public void describeTo(Description description) {
    description.appendText("a line of connbal's own (message or report), not a log line");
  }
}
