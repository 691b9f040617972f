package dev.connbal.pipeline;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * The files of a windowed run, one per window: {@code PREFIX-<window-start>.tsv} (.csv, .jsonl) for
 * {@code -o PREFIX} ({@code connbal-<window-start>.tsv} inside a directory, as {@link OutputPrefix}
 * has it), or the same in the run's result directory when the rows go to stdout. The window's start
 * (ISO 8601 UTC) sorts as time does, so the names do too.
 */
final class WindowFiles implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Everything of a window file's name before the window's start. */
  private final String start;

  private final String suffix;

  private WindowFiles(String start, String suffix) {
    this.start = start;
    this.suffix = suffix;
  }

  /** The window files of {@code -o prefix} with {@code suffix} (".tsv"). */
  static WindowFiles of(String prefix, String suffix) {
    ResourceId named = OutputPrefix.resolve(prefix, "-");
    return new WindowFiles(named.toString(), suffix);
  }

  /**
   * The summary files of {@code -o prefix}'s windows: {@code PREFIX.summary-<window-start>.tsv},
   * named apart from the rows' {@code PREFIX-<window-start>.tsv}.
   */
  static WindowFiles summariesOf(String prefix) {
    return new WindowFiles(OutputPrefix.resolve(prefix, ".summary-").toString(), ".tsv");
  }

  /** The window files in a result directory. */
  static WindowFiles in(ResourceId directory, String suffix) {
    return new WindowFiles(
        directory
            .resolve(
                "rows-",
                org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions.RESOLVE_FILE)
            .toString(),
        suffix);
  }

  /** The file of the window that starts at {@code windowStart}. */
  ResourceId file(String windowStart) {
    return FileSystems.matchNewResource(start + windowStart + suffix, false);
  }

  /** What the names look like: a glob of every window's file. */
  String pattern() {
    return start + "*" + suffix;
  }

  /** The window files written so far, in window order. */
  List<MatchResult.Metadata> written() throws IOException {
    MatchResult match = FileSystems.match(pattern(), EmptyMatchTreatment.ALLOW);
    List<MatchResult.Metadata> files = new ArrayList<>();
    for (MatchResult.Metadata m : match.metadata()) {
      // A file being written is a hidden sibling (WriteDocument); only whole windows count.
      if (!m.resourceId().getFilename().contains(WriteDocument.PARTIAL)) {
        files.add(m);
      }
    }
    files.sort(Comparator.comparing(m -> m.resourceId().toString()));
    return files;
  }
}
