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

/**
 * What {@link SnoopIO#parseFiles} produces: the parser's outputs and the errors met while reading
 * the captures.
 */
public class SnoopParseResult<OutputT> implements POutput {
  private final Pipeline pipeline;
  private final TupleTag<OutputT> outputsTag;
  private final PCollection<OutputT> outputs;
  private final TupleTag<SnoopReadError> errorsTag;
  private final PCollection<SnoopReadError> errors;

  SnoopParseResult(
      PCollectionTuple tuple, TupleTag<OutputT> outputsTag, TupleTag<SnoopReadError> errorsTag) {
    this.pipeline = tuple.getPipeline();
    this.outputsTag = outputsTag;
    this.outputs = tuple.get(outputsTag);
    this.errorsTag = errorsTag;
    this.errors = tuple.get(errorsTag);
  }

  /** Everything the parser output, from all files and ranges, in no particular order. */
  public PCollection<OutputT> outputs() {
    return outputs;
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
    return ImmutableMap.of(outputsTag, outputs, errorsTag, errors);
  }

  @Override
  public void finishSpecifyingOutput(
      String transformName, PInput input, PTransform<?, ?> transform) {}
}
