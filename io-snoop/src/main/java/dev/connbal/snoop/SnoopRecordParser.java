package dev.connbal.snoop;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Turns the records of a capture into a pipeline's own elements while they are read: the parsing
 * behind {@link SnoopIO#parseFiles}. A parser sees every good record of a byte range in place
 * ({@link SnoopRecordView}) and decides what, and how much, leaves the reading step: usually a few
 * aggregates per range instead of one element per packet, which is what makes reading a capture
 * cost about as much as decoding it. {@link SnoopIO#readFiles()} is the parser that copies every
 * record out.
 *
 * <p>A parser is serialized into the pipeline like a {@code DoFn}; the {@link RangeParser} it
 * starts lives for one range (or one whole compressed file) on one worker and holds the range's
 * state.
 */
public abstract class SnoopRecordParser<OutputT> implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The coder of what the parser outputs. */
  public abstract Coder<OutputT> getOutputCoder();

  /**
   * The side inputs {@link #startRange} reads; the reading step takes them, so it starts only once
   * they are ready. None by default.
   */
  public List<PCollectionView<?>> getSideInputs() {
    return List.of();
  }

  /**
   * Outputs besides the main one, each with its coder; none by default. A parser that makes several
   * kinds of elements writes each kind to its own output ({@link RangeContext#output}, {@link
   * SnoopParseResult#output}) instead of a union that a later step would take apart again, which
   * costs a runner such as Flink one more exchange of everything the reading step made.
   */
  public Map<TupleTag<?>, Coder<?>> getAdditionalOutputs() {
    return Map.of();
  }

  /**
   * Starts parsing one range. {@code output} (and {@code context}'s additional outputs) may be
   * called at any time until {@link RangeParser#finish()} returns, and not after.
   */
  public abstract RangeParser startRange(RangeContext context, Consumer<OutputT> output);

  /** The parse of one range. */
  public interface RangeParser {
    /** One good record, in file order; the view is valid only during the call. */
    void record(SnoopRecordView record);

    /** Every record of the range was seen: output what is still held. */
    void finish();
  }

  /** What the reading step offers the parse of a range besides its main output. */
  public interface RangeContext {
    /** The value of one of the parser's side inputs ({@link #getSideInputs}). */
    <T> T get(PCollectionView<T> view);

    /** Outputs {@code value} to one of the parser's additional outputs. */
    <T> void output(TupleTag<T> tag, T value);
  }
}
