package dev.connbal.snoop;

import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/**
 * Reads a batch of small files ({@link FileBatches}) one after the other, each as the one range
 * that {@link ParseSnoopFn} would make of it: the same records, errors and parser outputs.
 */
final class ReadFileBatchFn<OutputT>
    extends DoFn<KV<Integer, Iterable<FileIO.ReadableFile>>, OutputT> {
  private final RangeReading<OutputT> reading;

  ReadFileBatchFn(RangeReading<OutputT> reading) {
    this.reading = reading;
  }

  @ProcessElement
  public void processElement(ProcessContext c) {
    RangeReading.Outputs<OutputT> to = RangeReading.outputsOf(c);
    for (FileIO.ReadableFile file : c.element().getValue()) {
      // As ParseSnoopFn's initial restriction: never empty.
      OffsetRange whole = new OffsetRange(0, Math.max(1, file.getMetadata().sizeBytes()));
      reading.read(file, new RecordOffsetTracker(whole), to);
    }
  }
}
