package dev.connbal.transforms.report;

import org.apache.beam.sdk.transforms.Combine;

/** Adds partial reports. */
public final class SumRunReportsFn extends Combine.BinaryCombineFn<RunReport> {
  @Override
  public RunReport apply(RunReport left, RunReport right) {
    return left.plus(right);
  }
}
