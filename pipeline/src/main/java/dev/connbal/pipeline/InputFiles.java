package dev.connbal.pipeline;

import com.google.auto.value.AutoValue;
import dev.connbal.snoop.FileBatches;
import dev.connbal.snoop.SnoopWriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MatchResult.Metadata;

/**
 * The capture files the {@code -f} patterns name, matched once on the driver: the pipeline reads
 * exactly these files (each once, even when several patterns match it), the progress line knows
 * their total size, and a pattern that matches nothing is reported before the run instead of
 * vanishing inside it.
 */
@AutoValue
abstract class InputFiles {
  /** Matched files, in name order, without duplicates. */
  // Unmodifiable: match() stores List.copyOf, the field's only source.
  @SuppressWarnings("AutoValueImmutableFields")
  abstract List<Metadata> files();

  /** The patterns that could not be read, in the order given. */
  // Unmodifiable: match() stores List.copyOf, the field's only source.
  @SuppressWarnings("AutoValueImmutableFields")
  abstract List<Problem> problems();

  /** A pattern that could not be read: which, of what kind, and why. */
  @AutoValue
  abstract static class Problem {
    /** Why a pattern gave no file to read; the run report's error kinds next to SnoopIO's. */
    enum Kind {
      /** A pattern without wildcards names no existing file. */
      NO_SUCH_FILE,
      /** A glob matches no file. */
      NO_MATCH,
      /** The file system could not list the pattern (permissions, network, bucket). */
      CANNOT_LIST
    }

    abstract String pattern();

    abstract Kind kind();

    /** What went wrong, in a few words, without the pattern. */
    abstract String reason();

    /** The one line that names the pattern and says why: {@code PATTERN: REASON}. */
    String line() {
      return pattern() + ": " + reason();
    }

    static Problem of(String pattern, Kind kind, String reason) {
      return new AutoValue_InputFiles_Problem(pattern, kind, reason);
    }
  }

  /**
   * Bytes after the file headers, summed over the files: what SnoopIO's byte counters reach when it
   * has read every file once (for uncompressed files).
   */
  long recordRegionBytes() {
    return files().stream()
        .mapToLong(m -> Math.max(0, m.sizeBytes() - SnoopWriter.FILE_HEADER_LENGTH))
        .sum();
  }

  /**
   * The byte ranges the files are read in at a desired split size of {@code splitBytes}, as SnoopIO
   * reads them: files of at most {@code splitBytes} in batches of about that many bytes ({@link
   * FileBatches}, in name order, as here), one range per batch; one per larger compressed file (it
   * cannot be split), about one per {@code splitBytes} of any other.
   */
  long ranges(long splitBytes) {
    long[] batched =
        files().stream()
            .mapToLong(Metadata::sizeBytes)
            .filter(size -> FileBatches.isBatched(size, splitBytes))
            .toArray();
    long larger =
        files().stream()
            .filter(m -> !FileBatches.isBatched(m.sizeBytes(), splitBytes))
            .mapToLong(
                m ->
                    Compression.detect(m.resourceId().getFilename()) != Compression.UNCOMPRESSED
                        ? 1
                        : (m.sizeBytes() + splitBytes - 1) / splitBytes)
            .sum();
    return FileBatches.count(batched, splitBytes) + larger;
  }

  /** No inputs yet: what a watch starts from, whose captures come as they arrive. */
  static InputFiles none() {
    return new AutoValue_InputFiles(List.of(), List.of());
  }

  static InputFiles match(List<String> patterns) throws IOException {
    List<MatchResult> results = FileSystems.match(patterns, EmptyMatchTreatment.ALLOW);
    Map<String, Metadata> files = new LinkedHashMap<>();
    List<Problem> problems = new ArrayList<>();
    for (int i = 0; i < patterns.size(); i++) {
      String pattern = patterns.get(i);
      MatchResult result = results.get(i);
      switch (result.status()) {
        case OK -> {
          List<Metadata> matched = result.metadata();
          if (matched.isEmpty()) {
            problems.add(noMatch(pattern));
          }
          for (Metadata m : matched) {
            if (!m.resourceId().isDirectory()) {
              files.putIfAbsent(m.resourceId().toString(), m);
            }
          }
        }
        case NOT_FOUND -> problems.add(noMatch(pattern));
        default -> {
          problems.add(
              Problem.of(
                  pattern, Problem.Kind.CANNOT_LIST, "cannot be listed (" + errorOf(result) + ")"));
        }
      }
    }
    List<Metadata> sorted = new ArrayList<>(files.values());
    sorted.sort(Comparator.comparing(m -> m.resourceId().toString()));
    return new AutoValue_InputFiles(List.copyOf(sorted), List.copyOf(problems));
  }

  private static Problem noMatch(String pattern) {
    return FileSystems.hasGlobWildcard(pattern)
        ? Problem.of(pattern, Problem.Kind.NO_MATCH, "no file matches")
        : Problem.of(pattern, Problem.Kind.NO_SUCH_FILE, "no such file");
  }

  private static String errorOf(MatchResult result) {
    try {
      result.metadata();
      return "status " + result.status();
    } catch (IOException e) {
      return OneLine.of(e);
    }
  }
}
