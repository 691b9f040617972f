package dev.connbal.pipeline;

import dev.connbal.snoop.SnoopReadError;
import dev.connbal.snoop.WatchCaptures;
import dev.connbal.snoop.WholeRun;
import dev.connbal.transforms.ConnBal;
import dev.connbal.transforms.ConnBalResult;
import dev.connbal.transforms.ConnBalRow;
import dev.connbal.transforms.WithOneMore;
import dev.connbal.transforms.output.Documents;
import dev.connbal.transforms.report.RunReport;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.MatchResult.Metadata;
import org.apache.beam.sdk.io.fs.MetadataCoderV2;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;

/**
 * Builds the connbal pipeline: the matched capture files go through {@link ConnBal#analyze()}, and
 * its three results are written, each as one document ({@link WriteDocument}), to {@link
 * ResultLocations}: the TSV document as it is, the report and the read errors as Base64 lines of
 * their own coders, which the driver decodes back into the same objects ({@link ResultReader}).
 */
final class ConnBalPipeline {
  private ConnBalPipeline() {}

  static ResultReader build(
      Pipeline pipeline, ConnBalOptions options, List<Metadata> files, ResultLocations where) {
    PCollection<Metadata> matched =
        options.getWatch()
            ? pipeline.apply("Watch captures", watch(options))
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

    writeRows(result.rows(), options, where);

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
  private static WatchCaptures watch(ConnBalOptions options) {
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
