package dev.connbal.transforms;

import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Lets pass 2's files through only once the backend table exists: taking the table as a side input
 * makes every runner finish the DNS timeline first, so pass 2 never buffers TCP segments waiting
 * for it. With no backend at all there is nothing to count and pass 2 reads nothing.
 */
final class WaitForBackendTableFn extends DoFn<FileIO.ReadableFile, FileIO.ReadableFile> {
  private final PCollectionView<BackendTable> backendTable;

  WaitForBackendTableFn(PCollectionView<BackendTable> backendTable) {
    this.backendTable = backendTable;
  }

  @ProcessElement
  public void process(ProcessContext c) {
    if (!c.sideInput(backendTable).isEmpty()) {
      c.output(c.element());
    }
  }
}
