package dev.connbal.snoop;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;

/**
 * What {@link SnoopIO#parseFiles} produces: the parser's outputs and the errors met while reading
 * the captures.
 */
public class SnoopParseResult<OutputT> implements POutput {
  /** The tag of {@link #filesWithErrors()} in the tuple the reading step makes. */
  static final TupleTag<String> FILES_WITH_ERRORS = new TupleTag<>("filesWithErrors") {};

  private final PCollectionTuple tuple;
  private final PCollection<OutputT> outputs;
  private final PCollection<SnoopReadError> errors;
  private final PCollection<String> filesWithErrors;

  SnoopParseResult(
      PCollectionTuple tuple, TupleTag<OutputT> outputsTag, TupleTag<SnoopReadError> errorsTag) {
    this.tuple = tuple;
    this.outputs = tuple.get(outputsTag);
    this.errors = tuple.get(errorsTag);
    this.filesWithErrors = tuple.get(FILES_WITH_ERRORS);
  }

  /** Everything the parser output, from all files and ranges, in no particular order. */
  public PCollection<OutputT> outputs() {
    return outputs;
  }

  /**
   * What the parser output to one of its additional outputs ({@link
   * SnoopRecordParser#getAdditionalOutputs}).
   */
  public <T> PCollection<T> output(TupleTag<T> tag) {
    checkArgument(tuple.has(tag), "the parser has no output %s", tag);
    return tuple.get(tag);
  }

  /** Every file-level and region-level read error. */
  public PCollection<SnoopReadError> errors() {
    return errors;
  }

  /**
   * The files with at least one read error, each once ({@link SnoopReadError#file()}): what the
   * {@code filesWithErrors} metric counts.
   */
  public PCollection<String> filesWithErrors() {
    return filesWithErrors;
  }

  @Override
  public Pipeline getPipeline() {
    return tuple.getPipeline();
  }

  @Override
  public Map<TupleTag<?>, PValue> expand() {
    return tuple.expand();
  }

  @Override
  public void finishSpecifyingOutput(
      String transformName, PInput input, PTransform<?, ?> transform) {}
}
