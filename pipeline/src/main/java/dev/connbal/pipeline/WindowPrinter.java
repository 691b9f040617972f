package dev.connbal.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * Prints a windowed run's windows on stdout as their files appear ({@link WindowFiles}), each
 * window whole and once, in window order; a window written again (late packets, or a port that came
 * later) is printed again whole, after a line on stderr saying so. Prints the header once: a TSV's
 * {@code --header}, or the first window's own header line for formats whose documents start with
 * one.
 */
final class WindowPrinter {
  private final WindowFiles files;
  private final PrintStream out;
  private final PrintStream err;
  private final String header;
  private final boolean documentsHaveHeader;
  private final Map<String, String> printed = new HashMap<>();
  private boolean headerPrinted;

  /**
   * @param header printed before the first window (empty: none)
   * @param documentsHaveHeader whether each window's document starts with a header line, which is
   *     printed with the first window only
   */
  WindowPrinter(
      WindowFiles files,
      PrintStream out,
      PrintStream err,
      String header,
      boolean documentsHaveHeader) {
    this.files = files;
    this.out = out;
    this.err = err;
    this.header = header;
    this.documentsHaveHeader = documentsHaveHeader;
  }

  /** Prints the windows written or rewritten since the last call; returns how many. */
  synchronized int printNew() throws IOException {
    int count = 0;
    for (MatchResult.Metadata m : files.written()) {
      String name = m.resourceId().toString();
      String version = m.sizeBytes() + "@" + m.lastModifiedMillis();
      String before = printed.get(name);
      if (version.equals(before)) {
        continue;
      }
      String document = read(m);
      if (before != null) {
        err.println("connbal: window " + m.resourceId().getFilename() + " again, with late rows");
      }
      if (!headerPrinted) {
        out.print(header);
        headerPrinted = true;
      } else if (documentsHaveHeader) {
        document = document.substring(document.indexOf('\n') + 1);
      }
      out.print(document);
      out.flush();
      printed.put(name, version);
      count++;
    }
    return count;
  }

  private static String read(MatchResult.Metadata m) throws IOException {
    try (InputStream in = Channels.newInputStream(FileSystems.open(m.resourceId()))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
