package dev.connbal.transforms;

import org.apache.beam.sdk.transforms.Combine;

/** Adds partial reports; an empty input gives the all-zero report, so there is always one. */
final class SumRunReportsFn extends Combine.BinaryCombineFn<RunReport> {
  @Override
  public RunReport apply(RunReport left, RunReport right) {
    return left.plus(right);
  }

  @Override
  public RunReport identity() {
    return RunReport.empty();
  }
}
