package dev.connbal.pipeline;

import com.google.auto.value.AutoValue;
import dev.connbal.snoop.SnoopReadError;
import dev.connbal.transforms.report.RunReport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.CoderUtils;

/** Reads a finished run's results back on the driver, and deletes its temporary files. */
final class ResultReader {
  private final ResultLocations where;
  private final Coder<RunReport> reportCoder;
  private final Coder<SnoopReadError> errorCoder;

  ResultReader(
      ResultLocations where, Coder<RunReport> reportCoder, Coder<SnoopReadError> errorCoder) {
    this.where = where;
    this.reportCoder = reportCoder;
    this.errorCoder = errorCoder;
  }

  /** What a run produced. */
  @AutoValue
  abstract static class Results {
    /**
     * The rows' document (TSV, CSV or JSON lines), unless the rows went to the user's -o or to a
     * file per window.
     */
    abstract Optional<String> document();

    abstract RunReport report();

    /** Read errors, ordered by file, then offset within it. */
    // Unmodifiable: read() stores List.copyOf, the field's only source.
    @SuppressWarnings("AutoValueImmutableFields")
    abstract List<SnoopReadError> readErrors();
  }

  Results read() throws IOException {
    Optional<String> tsv =
        where.rowsAreOutput() || where.windowFiles() != null
            ? Optional.empty()
            : Optional.of(readString(where.rows()));
    List<String> reportLines = readLines(where.report());
    if (reportLines.size() != 1) {
      throw new IOException(
          "the run produced " + reportLines.size() + " reports instead of one: " + where.report());
    }
    RunReport report = CoderUtils.decodeFromBase64(reportCoder, reportLines.get(0));
    List<SnoopReadError> errors = new ArrayList<>();
    for (String line : readLines(where.errors())) {
      errors.add(CoderUtils.decodeFromBase64(errorCoder, line));
    }
    errors.sort(
        Comparator.comparing(SnoopReadError::file)
            .thenComparingLong(SnoopReadError::offset)
            .thenComparing(SnoopReadError::message));
    return new AutoValue_ResultReader_Results(tsv, report, List.copyOf(errors));
  }

  /** Deletes the run's temporary files (never the user's output); missing ones are fine. */
  void deleteTemporaryFiles() throws IOException {
    for (ResourceId resource : where.temporaryResources()) {
      // One at a time: the directory can only go once the files in it are gone.
      FileSystems.delete(List.of(resource), StandardMoveOptions.IGNORE_MISSING_FILES);
    }
  }

  private static String readString(ResourceId file) throws IOException {
    try (InputStream in = Channels.newInputStream(FileSystems.open(file))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static List<String> readLines(ResourceId file) throws IOException {
    List<String> lines = new ArrayList<>();
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(
                Channels.newInputStream(FileSystems.open(file)), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (!line.isEmpty()) {
          lines.add(line);
        }
      }
    }
    return lines;
  }
}
