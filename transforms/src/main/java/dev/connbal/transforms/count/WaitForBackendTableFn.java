package dev.connbal.transforms.count;

import dev.connbal.transforms.timeline.BackendTable;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Lets pass 2's files through only when the finished backend table has a pair in it: with no
 * backend at all there is nothing to count, and pass 2 reads nothing. (Pass 2's parsers take the
 * table as a side input themselves, so no runner starts reading before the timeline is done.)
 */
public final class WaitForBackendTableFn extends DoFn<FileIO.ReadableFile, FileIO.ReadableFile> {
  private final PCollectionView<Iterable<BackendTable>> backendTable;

  /** The table in pieces, as {@link dev.connbal.transforms.ConnBal.CountStreams} takes it. */
  public WaitForBackendTableFn(PCollectionView<Iterable<BackendTable>> backendTable) {
    this.backendTable = backendTable;
  }

  @ProcessElement
  public void process(ProcessContext c) {
    for (BackendTable piece : c.sideInput(backendTable)) {
      if (!piece.isEmpty()) {
        c.output(c.element());
        return;
      }
    }
  }
}
