package dev.connbal.transforms.report;

import dev.connbal.snoop.SnoopReadError;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Turns a read error of pass 1 into its share of the {@link RunReport}: corrupt regions and
 * truncated records with their bytes. (Files with errors are counted separately, once per file.)
 * SnoopIO has already counted the error in its metrics.
 */
public final class ReadErrorReportFn extends DoFn<SnoopReadError, RunReport> {
  @ProcessElement
  public void process(@Element SnoopReadError error, OutputReceiver<RunReport> out) {
    switch (error.kind()) {
      case CORRUPT_REGION ->
          out.output(
              RunReport.builder().setCorruptRegions(1).setCorruptBytes(error.bytes()).build());
      case TRUNCATED_RECORD ->
          out.output(
              RunReport.builder().setTruncatedRecords(1).setTruncatedBytes(error.bytes()).build());
      default -> {
        // File-level errors are reported through readErrors() and the files-with-errors count.
      }
    }
  }
}
