package dev.connbal.transforms;

import dev.connbal.transforms.report.RunReport;
import dev.connbal.snoop.SnoopReadError;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;

/** The outputs of {@link ConnBal#analyze()}: the TSV document, the run report and read errors. */
public final class ConnBalResult implements POutput {
  private static final TupleTag<String> TSV = new TupleTag<>("tsv");
  private static final TupleTag<RunReport> REPORT = new TupleTag<>("report");
  private static final TupleTag<SnoopReadError> READ_ERRORS = new TupleTag<>("readErrors");

  private final Pipeline pipeline;
  private final PCollection<String> tsv;
  private final PCollection<RunReport> report;
  private final PCollection<SnoopReadError> readErrors;

  ConnBalResult(
      Pipeline pipeline,
      PCollection<String> tsv,
      PCollection<RunReport> report,
      PCollection<SnoopReadError> readErrors) {
    this.pipeline = pipeline;
    this.tsv = tsv;
    this.report = report;
    this.readErrors = readErrors;
  }

  /**
   * Exactly one element: the whole TSV document, sorted by client IP, backend IP and port, each
   * line ending in \n; empty when there are no rows.
   */
  public PCollection<String> tsv() {
    return tsv;
  }

  /** Exactly one element: what the run read and skipped. */
  public PCollection<RunReport> report() {
    return report;
  }

  /** The snoop read errors (each names its file), from the first read of the captures. */
  public PCollection<SnoopReadError> readErrors() {
    return readErrors;
  }

  @Override
  public Pipeline getPipeline() {
    return pipeline;
  }

  @Override
  public Map<TupleTag<?>, PValue> expand() {
    return Map.of(TSV, tsv, REPORT, report, READ_ERRORS, readErrors);
  }

  @Override
  public void finishSpecifyingOutput(
      String transformName, PInput input, PTransform<?, ?> transform) {}
}
