package dev.connbal.pipeline;

import dev.connbal.snoop.SnoopReadError;
import dev.connbal.snoop.WatchCaptures;
import dev.connbal.snoop.WholeRun;
import dev.connbal.transforms.ConnBal;
import dev.connbal.transforms.ConnBalResult;
import dev.connbal.transforms.ConnBalRow;
import dev.connbal.transforms.WithOneMore;
import dev.connbal.transforms.output.Documents;
import dev.connbal.transforms.output.IpFormat;
import dev.connbal.transforms.output.OneDocument;
import dev.connbal.transforms.report.RunReport;
import dev.connbal.transforms.summary.BalanceSummarizer;
import dev.connbal.transforms.summary.Summary;
import dev.connbal.transforms.summary.SummaryRow;
import dev.connbal.transforms.summary.SummaryTsv;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult.Metadata;
import org.apache.beam.sdk.io.fs.MetadataCoderV2;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.PCollection;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * Builds the connbal pipeline: the matched capture files go through {@link ConnBal#analyze()}, and
 * its three results are written, each as one document ({@link WriteDocument}), to {@link
 * ResultLocations}: the TSV document as it is, the report and the read errors as Base64 lines of
 * their own coders, which the driver decodes back into the same objects ({@link ResultReader}).
 * With {@code --summary} or {@code --report}, the rows are also summarized ({@link Summary}), and
 * the summary's documents written.
 */
final class ConnBalPipeline {
  /** What {@code -o PREFIX} adds for the summary's file: {@code PREFIX.summary.tsv}. */
  static final String SUMMARY_SUFFIX = ".summary.tsv";

  private ConnBalPipeline() {}

  /**
   * Builds the run over {@code files}, or over the captures {@code watch} takes as they arrive when
   * it is not null.
   */
  static ResultReader build(
      Pipeline pipeline,
      ConnBalOptions options,
      List<Metadata> files,
      @Nullable WatchCaptures watch,
      ResultLocations where) {
    PCollection<Metadata> matched =
        watch != null
            ? pipeline.apply("Watch captures", watch)
            : pipeline.apply("Capture files", Create.of(files).withCoder(MetadataCoderV2.of()));
    PCollection<FileIO.ReadableFile> captures =
        matched.apply("Open captures", FileIO.readMatches());

    ConnBal.Analyze analyze =
        ConnBal.analyze()
            .withAllStreams(options.getAllStreams())
            .withShardCount(options.getShardCount())
            .withTimelineShardCount(options.getTimelineShards())
            .withDesiredSplitSize(options.getSplitSize());
    if (options.getNameFilter() != null) {
      analyze = analyze.withNameFilter(options.getNameFilter());
    }
    if (options.getWindowMillis() != null) {
      analyze = analyze.withWindow(Duration.millis(options.getWindowMillis()));
    }
    ConnBalResult result = captures.apply("Analyze", analyze);

    if (!(options.getSummary() && options.getOutput() == null)) {
      writeRows(result.rows(), options, where);
    }
    writeSummary(result.rows(), options, where);

    Coder<RunReport> reportCoder = result.report().getCoder();
    result
        .report()
        .apply("Encode report", ParDo.of(new EncodeBase64<>(reportCoder)))
        .apply("Write report", WriteDocument.to(where.report()));

    // One document of all error lines, empty when there are none: the empty part makes the
    // combination produce exactly one element either way.
    Coder<SnoopReadError> errorCoder = result.readErrors().getCoder();
    result
        .readErrors()
        .apply("Whole run", WholeRun.of())
        .apply("Encode read errors", ParDo.of(new EncodeBase64<>(errorCoder)))
        .setCoder(StringUtf8Coder.of())
        .apply("No read errors", WithOneMore.element(""))
        .apply("Read errors document", Combine.globally(new Concatenate()).withoutDefaults())
        .apply("Write read errors", WriteDocument.to(where.errors()));

    return new ResultReader(where, reportCoder, errorCoder);
  }

  /** Watches the -f patterns for captures as they arrive. */
  static WatchCaptures watch(ConnBalOptions options) {
    WatchCaptures watch =
        WatchCaptures.of(options.getInputs())
            .withPollInterval(Duration.millis(options.getPollIntervalMillis()));
    return options.getWatchUntilMillis() == null
        ? watch
        : watch.withStopAfterIdle(Duration.millis(options.getWatchUntilMillis()));
  }

  /**
   * The rows in the format asked for: one sorted document, a document per window, or Parquet files.
   */
  private static void writeRows(
      PCollection<ConnBalRow> rows, ConnBalOptions options, ResultLocations where) {
    if (options.getFormat() == OutputFormat.PARQUET) {
      rows.apply("Write PARQUET", WriteParquet.to(options.getOutput()));
      return;
    }
    Documents.Render render;
    switch (options.getFormat()) {
      case CSV -> render = Documents.csv();
      case JSONL -> render = Documents.jsonl();
      default -> render = Documents.tsv(options.getIpFormat());
    }
    if (where.windowFiles() != null) {
      boolean header = options.getHeader() && where.rowsAreOutput();
      rows.apply(options.getFormat().name(), render)
          .apply(
              "Write windows",
              new WriteWindows(where.windowFiles(), header ? Documents.WINDOWED_TSV_HEADER : ""));
      return;
    }
    WriteDocument write = WriteDocument.to(where.rows());
    if (options.getHeader()) {
      write = write.withHeader(Documents.TSV_HEADER);
    }
    rows.apply(options.getFormat().name(), render).apply("Write " + options.getFormat(), write);
  }

  /**
   * The balance summary, when asked for: the {@code --summary} TSV (the run's document, printed
   * instead of the rows, or {@code PREFIX.summary.tsv} beside {@code -o}'s rows) and the {@code
   * --report} HTML.
   */
  private static void writeSummary(
      PCollection<ConnBalRow> rows, ConnBalOptions options, ResultLocations where) {
    if (!options.getSummary() && options.getReport() == null) {
      return;
    }
    if (where.windowFiles() != null) {
      // A window's rows arrive as additions, and again whole with late ones: each window's
      // summary is made of its rows added up, in the one step that gathers them.
      IpFormat ips = options.getIpFormat();
      rows.apply(
              "Window summaries",
              OneDocument.of(
                  "summary TSV",
                  all ->
                      SummaryTsv.render(
                          BalanceSummarizer.summarizeAll(Documents.merged(all)), ips)))
          .apply(
              "Write window summaries",
              new WriteWindows(WindowFiles.summariesOf(options.getOutput()), ""));
      return;
    }
    PCollection<SummaryRow> summary =
        rows.apply("Summarize", Summary.summarize().withShardCount(options.getShardCount()));
    if (options.getSummary()) {
      ResourceId file = options.getOutput() == null ? where.rows() : summaryFile(options);
      summary
          .apply("Summary TSV", Summary.tsv(options.getIpFormat()))
          .apply("Write summary", WriteDocument.to(file));
    }
    if (options.getReport() != null) {
      summary
          .apply("HTML report", Summary.html(options.getIpFormat()))
          .apply(
              "Write HTML report", WriteDocument.to(reportFile(options)).withMimeType("text/html"));
    }
  }

  /**
   * The files the summary goes to beside the rows: {@code PREFIX.summary.tsv} (with {@code -o}) and
   * the {@code --report} file; for the lines on stderr that name what the run wrote.
   */
  static List<ResourceId> summaryFiles(ConnBalOptions options) {
    List<ResourceId> files = new ArrayList<>();
    if (options.getSummary() && options.getOutput() != null && options.getWindowMillis() == null) {
      files.add(summaryFile(options));
    }
    if (options.getReport() != null) {
      files.add(reportFile(options));
    }
    return files;
  }

  /** {@code PREFIX.summary.tsv} of {@code -o PREFIX} ({@link OutputPrefix}). */
  private static ResourceId summaryFile(ConnBalOptions options) {
    return OutputPrefix.resolve(options.getOutput(), SUMMARY_SUFFIX);
  }

  /** The {@code --report} file, on any Beam FileSystem. */
  private static ResourceId reportFile(ConnBalOptions options) {
    return FileSystems.matchNewResource(options.getReport(), false);
  }

  /**
   * Encodes each element with its coder as one Base64 line, ending in a newline (which cannot occur
   * in Base64).
   */
  private static final class EncodeBase64<T> extends DoFn<T, String> {
    private final Coder<T> coder;

    EncodeBase64(Coder<T> coder) {
      this.coder = coder;
    }

    @ProcessElement
    public void process(@Element T element, OutputReceiver<String> out) throws CoderException {
      out.output(CoderUtils.encodeToBase64(coder, element) + "\n");
    }
  }

  /** Joins lines in any order (the driver sorts the read errors). */
  private static final class Concatenate extends Combine.BinaryCombineFn<String> {
    @Override
    public String apply(String left, String right) {
      return left + right;
    }
  }
}
