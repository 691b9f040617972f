package dev.connbal.transforms;

import dev.connbal.snoop.SnoopReadError;
import dev.connbal.transforms.report.RunReport;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;

/** The outputs of {@link ConnBal#analyze()}: the rows, the run report and the read errors. */
public final class ConnBalResult implements POutput {
  private static final TupleTag<ConnBalRow> ROWS = new TupleTag<>("rows");
  private static final TupleTag<RunReport> REPORT = new TupleTag<>("report");
  private static final TupleTag<SnoopReadError> READ_ERRORS = new TupleTag<>("readErrors");

  private final Pipeline pipeline;
  private final PCollection<ConnBalRow> rows;
  private final PCollection<RunReport> report;
  private final PCollection<SnoopReadError> readErrors;

  ConnBalResult(
      Pipeline pipeline,
      PCollection<ConnBalRow> rows,
      PCollection<RunReport> report,
      PCollection<SnoopReadError> readErrors) {
    this.pipeline = pipeline;
    this.rows = rows;
    this.report = report;
    this.readErrors = readErrors;
  }

  /**
   * The rows, one per (client, backend, port), in no order, with {@link ConnBalRow}'s schema;
   * {@link dev.connbal.transforms.output.Documents} renders them as one sorted document.
   */
  public PCollection<ConnBalRow> rows() {
    return rows;
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
    return Map.of(ROWS, rows, REPORT, report, READ_ERRORS, readErrors);
  }

  @Override
  public void finishSpecifyingOutput(
      String transformName, PInput input, PTransform<?, ?> transform) {}
}
