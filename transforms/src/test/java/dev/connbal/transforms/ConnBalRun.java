package dev.connbal.transforms;

import dev.connbal.snoop.SnoopReadError;
import dev.connbal.transforms.output.Documents;
import dev.connbal.transforms.output.IpFormat;
import dev.connbal.transforms.report.ConnBalMetrics;
import dev.connbal.transforms.report.RunReport;
import dev.connbal.transforms.wire.RunReportCoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * Runs {@link ConnBal#analyze()} over capture files on a real runner and brings its outputs back:
 * every element of every output is written to its own file by the workers (which works on the
 * Direct runner and embedded Flink alike) and decoded here, so tests can assert on exact values,
 * including that there is exactly one TSV document and one report, and on the rows themselves (with
 * what the TSV does not print, such as SRV priority and weight).
 */
final class ConnBalRun {
  /**
   * How long a test run may take before it counts as stuck (runs take seconds): it is cancelled and
   * the test fails, so that a run that stops making progress fails the suite instead of hanging it.
   * Beam 2.62's Direct runner did this to runs whose side input was empty, until the analysis
   * stopped having any (ConnBal's class comment, SideInputsTest).
   */
  private static final Duration STUCK_AFTER = Duration.standardMinutes(3);

  /** The order of {@link Output#rows()}: by client, backend and port (text), no port first. */
  static final Comparator<ConnBalRow> ROW_ORDER =
      Comparator.comparing(ConnBalRow::getClient)
          .thenComparing(ConnBalRow::getBackend)
          .thenComparing(ConnBalRow::getPort, Comparator.nullsFirst(Comparator.naturalOrder()));

  /** What a run produced; the rows in {@link #ROW_ORDER}. */
  record Output(
      List<String> tsvDocuments,
      List<RunReport> reports,
      List<String> readErrors,
      Map<String, Map<String, Long>> countersByNamespace,
      List<ConnBalRow> rows) {
    /** The run's counters in namespace {@code namespace}, by name (empty if it has none). */
    Map<String, Long> counters(String namespace) {
      return countersByNamespace.getOrDefault(namespace, Map.of());
    }

    /** The analysis' own counters ({@link ConnBalMetrics}). */
    Map<String, Long> connbalCounters() {
      return counters(ConnBalMetrics.NAMESPACE);
    }

    /** The single TSV document; fails if the run produced none or several. */
    String tsv() {
      if (tsvDocuments.size() != 1) {
        throw new AssertionError("expected exactly one TSV document, got " + tsvDocuments);
      }
      return tsvDocuments.get(0);
    }

    /** The single report; fails if the run produced none or several. */
    RunReport report() {
      if (reports.size() != 1) {
        throw new AssertionError("expected exactly one report, got " + reports);
      }
      return reports.get(0);
    }
  }

  private ConnBalRun() {}

  static PipelineOptions directOptions() {
    PipelineOptions options = PipelineOptionsFactory.create();
    options.setRunner(DirectRunner.class);
    return options;
  }

  /**
   * Direct runner options as the connbal command sets them for real captures: without the runner's
   * per-element immutability and encodability checks.
   */
  static PipelineOptions fastDirectOptions() {
    DirectOptions options = PipelineOptionsFactory.as(DirectOptions.class);
    options.setRunner(DirectRunner.class);
    options.setEnforceImmutability(false);
    options.setEnforceEncodability(false);
    return options;
  }

  /** Runs on the Direct runner over every file matching {@code filepattern}. */
  static Output direct(String filepattern, ConnBal.Analyze analyze, Path scratch) {
    return direct(filepattern, analyze, IpFormat.PADDED, scratch);
  }

  /** Runs on the Direct runner, the TSV's addresses printed as {@code ips} says. */
  static Output direct(String filepattern, ConnBal.Analyze analyze, IpFormat ips, Path scratch) {
    return run(directOptions(), filepattern, analyze, ips, scratch);
  }

  /** One run with the TSV's default (padded) addresses. */
  static Output run(
      PipelineOptions options, String filepattern, ConnBal.Analyze analyze, Path scratch) {
    return run(options, filepattern, analyze, IpFormat.PADDED, scratch);
  }

  /** One run; fails if it had not finished after {@link #STUCK_AFTER} (it is cancelled). */
  static Output run(
      PipelineOptions options,
      String filepattern,
      ConnBal.Analyze analyze,
      IpFormat ips,
      Path scratch) {
    return run(options, filepattern, analyze, ips, scratch, p -> {});
  }

  /**
   * One run, with {@code beforeRun} given the built pipeline to add steps of its own (metrics that
   * observe the analysis, say) before it runs.
   */
  static Output run(
      PipelineOptions options,
      String filepattern,
      ConnBal.Analyze analyze,
      IpFormat ips,
      Path scratch,
      Consumer<Pipeline> beforeRun) {
    try {
      Path out = Files.createTempDirectory(scratch, "run");
      Path tsvDir = Files.createDirectory(out.resolve("tsv"));
      Path reportDir = Files.createDirectory(out.resolve("report"));
      Path errorDir = Files.createDirectory(out.resolve("errors"));
      Path rowDir = Files.createDirectory(out.resolve("rows"));
      // The Direct runner's run() otherwise blocks until the end, and the limit could not act.
      options.as(DirectOptions.class).setBlockOnRun(false);
      Pipeline p = Pipeline.create(options);
      ConnBalResult result = p.apply(analyze.from(filepattern));
      writeEach(result.rows().apply(Documents.tsv(ips)), StringUtf8Coder.of(), tsvDir);
      Coder<ConnBalRow> rowCoder = result.rows().getCoder();
      writeEach(result.rows(), rowCoder, rowDir);
      writeEach(result.report(), RunReportCoder.of(), reportDir);
      PCollection<String> errors =
          result
              .readErrors()
              .apply(
                  "ErrorText",
                  MapElements.into(TypeDescriptors.strings())
                      .via((SnoopReadError e) -> e.kind() + " " + e.bytes() + " " + e.message()));
      writeEach(errors, StringUtf8Coder.of(), errorDir);
      beforeRun.accept(p);
      PipelineResult run = p.run();
      PipelineResult.State state = run.waitUntilFinish(STUCK_AFTER);
      if (state == null || !state.isTerminal()) {
        run.cancel();
        throw new AssertionError("the run did not finish within " + STUCK_AFTER + "; cancelled it");
      }
      List<ConnBalRow> rows = readEach(rowCoder, rowDir);
      rows.sort(ROW_ORDER);
      return new Output(
          readEach(StringUtf8Coder.of(), tsvDir),
          readEach(RunReportCoder.of(), reportDir),
          readEach(StringUtf8Coder.of(), errorDir),
          counters(run),
          rows);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The attempted values of the run's counters, by namespace and name. */
  private static Map<String, Map<String, Long>> counters(PipelineResult run) {
    Map<String, Map<String, Long>> counters = new TreeMap<>();
    MetricQueryResults results = run.metrics().allMetrics();
    for (MetricResult<Long> c : results.getCounters()) {
      counters
          .computeIfAbsent(c.getName().getNamespace(), n -> new TreeMap<>())
          .merge(c.getName().getName(), c.getAttempted(), Long::sum);
    }
    return counters;
  }

  private static <T> void writeEach(PCollection<T> values, Coder<T> coder, Path dir) {
    values.apply("WriteTo" + dir.getFileName(), ParDo.of(new WriteEachFn<>(coder, dir.toString())));
  }

  private static <T> List<T> readEach(Coder<T> coder, Path dir) throws IOException {
    List<T> values = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.sorted().toList()) {
        values.add(CoderUtils.decodeFromByteArray(coder, Files.readAllBytes(f)));
      }
    }
    return values;
  }

  /** Writes each element, encoded, to a new file of its own in a directory. */
  private static final class WriteEachFn<T> extends DoFn<T, Void> {
    private final Coder<T> coder;
    private final String dir;

    WriteEachFn(Coder<T> coder, String dir) {
      this.coder = coder;
      this.dir = dir;
    }

    @ProcessElement
    public void process(@Element T value) throws IOException {
      Files.write(
          Path.of(dir, UUID.randomUUID().toString()), CoderUtils.encodeToByteArray(coder, value));
    }
  }
}
