package dev.connbal.snoop;

import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;

/** What {@link SnoopIO#read()} and {@link SnoopIO#readFiles()} produce: records and errors. */
public final class SnoopReadResult extends SnoopParseResult<SnoopRecord> {
  SnoopReadResult(
      PCollectionTuple tuple,
      TupleTag<SnoopRecord> recordsTag,
      TupleTag<SnoopReadError> errorsTag) {
    super(tuple, recordsTag, errorsTag);
  }

  /** Every record read, from all files, in no particular order. */
  public PCollection<SnoopRecord> records() {
    return outputs();
  }
}
