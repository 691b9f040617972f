package dev.connbal.transforms.summary;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * The p-value against published critical values: NIST/SEMATECH e-Handbook of Statistical Methods,
 * section 1.3.6.7.4, "Critical Values of the Chi-Square Distribution"
 * (https://www.itl.nist.gov/div898/handbook/eda/section3/eda3674.htm), upper-tail table. A critical
 * value x for probability q means P(chi-square(df) > x) = q; the table gives x to three decimals,
 * so p is compared within what that rounding allows.
 */
class ChiSquareTest {
  @Test
  void upperTailProbabilityOneHundredth() {
    // df 1: 6.635, df 2: 9.210, df 3: 11.345, df 4: 13.277, df 10: 23.209.
    assertThat(ChiSquare.pValue(6.635, 1), closeTo(0.01, 1e-5));
    assertThat(ChiSquare.pValue(9.21, 2), closeTo(0.01, 1e-5));
    assertThat(ChiSquare.pValue(11.345, 3), closeTo(0.01, 1e-5));
    assertThat(ChiSquare.pValue(13.277, 4), closeTo(0.01, 1e-5));
    assertThat(ChiSquare.pValue(23.209, 10), closeTo(0.01, 1e-5));
  }

  @Test
  void upperTailProbabilityFiveHundredthsAndOneThousandth() {
    // 0.05: df 1 3.841, df 2 5.991, df 3 7.815; 0.001: df 1 10.828, df 2 13.816.
    assertThat(ChiSquare.pValue(3.841, 1), closeTo(0.05, 1e-4));
    assertThat(ChiSquare.pValue(5.991, 2), closeTo(0.05, 1e-4));
    assertThat(ChiSquare.pValue(7.815, 3), closeTo(0.05, 1e-4));
    assertThat(ChiSquare.pValue(10.828, 1), closeTo(0.001, 1e-6));
    assertThat(ChiSquare.pValue(13.816, 2), closeTo(0.001, 1e-6));
  }

  @Test
  void aVerySmallPValueKeepsItsSize() {
    // df 2: p = exp(-x/2) exactly; x = 100 gives exp(-50) = 1.9287e-22, which 1 - CDF would make 0.
    assertThat(ChiSquare.pValue(100, 2), closeTo(1.9287498479639178e-22, 1e-30));
  }

  @Test
  void statisticIsPearsons() {
    // (20-10)^2/10 + (5-10)^2/10 + (5-10)^2/10 = 10 + 2.5 + 2.5.
    assertThat(
        ChiSquare.statistic(new long[] {20, 5, 5}, new double[] {10, 10, 10}), closeTo(15, 1e-12));
  }

  @Test
  void noDegreesOfFreedomIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> ChiSquare.pValue(1, 0));
  }
}
