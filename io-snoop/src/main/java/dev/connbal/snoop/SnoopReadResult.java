package dev.connbal.snoop;

import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.collect.ImmutableMap;

/** What {@link SnoopIO} produces: the records read and the errors met while reading them. */
public final class SnoopReadResult implements POutput {
  private final Pipeline pipeline;
  private final TupleTag<SnoopRecord> recordsTag;
  private final PCollection<SnoopRecord> records;
  private final TupleTag<SnoopReadError> errorsTag;
  private final PCollection<SnoopReadError> errors;

  private SnoopReadResult(
      Pipeline pipeline,
      TupleTag<SnoopRecord> recordsTag,
      PCollection<SnoopRecord> records,
      TupleTag<SnoopReadError> errorsTag,
      PCollection<SnoopReadError> errors) {
    this.pipeline = pipeline;
    this.recordsTag = recordsTag;
    this.records = records;
    this.errorsTag = errorsTag;
    this.errors = errors;
  }

  static SnoopReadResult of(
      PCollectionTuple tuple, TupleTag<SnoopRecord> recordsTag, TupleTag<SnoopReadError> errorsTag) {
    return new SnoopReadResult(
        tuple.getPipeline(), recordsTag, tuple.get(recordsTag), errorsTag, tuple.get(errorsTag));
  }

  /** Every record read, from all files, in no particular order. */
  public PCollection<SnoopRecord> records() {
    return records;
  }

  /** Every file-level and region-level read error. */
  public PCollection<SnoopReadError> errors() {
    return errors;
  }

  @Override
  public Pipeline getPipeline() {
    return pipeline;
  }

  @Override
  public Map<TupleTag<?>, PValue> expand() {
    return ImmutableMap.of(recordsTag, records, errorsTag, errors);
  }

  @Override
  public void finishSpecifyingOutput(
      String transformName, PInput input, PTransform<?, ?> transform) {}
}
