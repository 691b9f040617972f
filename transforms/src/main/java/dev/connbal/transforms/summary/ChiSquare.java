package dev.connbal.transforms.summary;

import org.apache.commons.math3.special.Gamma;

/** The chi-square goodness-of-fit test of connection counts against expected counts. */
final class ChiSquare {
  private ChiSquare() {}

  /** Pearson's statistic: the sum of (observed - expected)^2 / expected. */
  static double statistic(long[] observed, double[] expected) {
    double sum = 0;
    for (int i = 0; i < observed.length; i++) {
      double d = observed[i] - expected[i];
      sum += d * d / expected[i];
    }
    return sum;
  }

  /**
   * The probability that a chi-square variable with {@code degreesOfFreedom} exceeds {@code
   * statistic}: the upper regularized gamma function Q(df/2, x/2), on which commons-math's {@code
   * ChiSquaredDistribution} builds its distribution function. Q itself, not 1 minus that function,
   * so that a p-value far below 1e-16 keeps its size instead of becoming 0 and still sorts.
   */
  static double pValue(double statistic, int degreesOfFreedom) {
    if (degreesOfFreedom < 1) {
      throw new IllegalArgumentException("degrees of freedom must be at least 1");
    }
    return Gamma.regularizedGammaQ(degreesOfFreedom / 2.0, statistic / 2.0);
  }
}
