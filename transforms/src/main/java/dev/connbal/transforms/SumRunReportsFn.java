package dev.connbal.transforms;

import org.apache.beam.sdk.transforms.Combine;

/** Adds partial reports. */
final class SumRunReportsFn extends Combine.BinaryCombineFn<RunReport> {
  @Override
  public RunReport apply(RunReport left, RunReport right) {
    return left.plus(right);
  }
}
