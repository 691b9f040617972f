package dev.connbal.pipeline;

import com.google.auto.value.AutoValue;
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
  abstract List<Metadata> files();

  /** One line per pattern that could not be read, naming it and saying why. */
  abstract List<String> problems();

  /**
   * Bytes after the file headers, summed over the files: what SnoopIO's byte counters reach
   * when it has read every file once (for uncompressed files).
   */
  long recordRegionBytes() {
    return files().stream()
        .mapToLong(m -> Math.max(0, m.sizeBytes() - SnoopWriter.FILE_HEADER_LENGTH))
        .sum();
  }

  /**
   * The byte ranges the files are read in at a desired split size of {@code splitBytes}: one per
   * compressed file (it cannot be split), about one per {@code splitBytes} of any other.
   */
  long ranges(long splitBytes) {
    return files().stream()
        .mapToLong(
            m ->
                Compression.detect(m.resourceId().getFilename()) != Compression.UNCOMPRESSED
                    ? 1
                    : Math.max(1, (m.sizeBytes() + splitBytes - 1) / splitBytes))
        .sum();
  }

  static InputFiles match(List<String> patterns) throws IOException {
    List<MatchResult> results = FileSystems.match(patterns, EmptyMatchTreatment.ALLOW);
    Map<String, Metadata> files = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < patterns.size(); i++) {
      String pattern = patterns.get(i);
      MatchResult result = results.get(i);
      switch (result.status()) {
        case OK:
          List<Metadata> matched = result.metadata();
          if (matched.isEmpty()) {
            problems.add(pattern + ": " + noMatchReason(pattern));
          }
          for (Metadata m : matched) {
            if (!m.resourceId().isDirectory()) {
              files.putIfAbsent(m.resourceId().toString(), m);
            }
          }
          break;
        case NOT_FOUND:
          problems.add(pattern + ": " + noMatchReason(pattern));
          break;
        default:
          problems.add(pattern + ": cannot be listed (" + errorOf(result) + ")");
      }
    }
    List<Metadata> sorted = new ArrayList<>(files.values());
    sorted.sort(Comparator.comparing(m -> m.resourceId().toString()));
    return new AutoValue_InputFiles(List.copyOf(sorted), List.copyOf(problems));
  }

  private static String noMatchReason(String pattern) {
    return FileSystems.hasGlobWildcard(pattern) ? "no file matches" : "no such file";
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
