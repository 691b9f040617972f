package dev.connbal.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

class ProgressLineTest {
  @Test
  void showsBytesOfTotalPercentRateAndElapsedTime() {
    assertThat(
        ProgressLine.format(3L << 30, 12L << 30, 125.0),
        equalTo("connbal: read 3.0 GiB of 12.0 GiB (25%), 24.6 MiB/s, 2:05 elapsed"));
  }

  @Test
  void smallAndEmptyTotals() {
    assertThat(ProgressLine.format(0, 0, 0), equalTo("connbal: read 0 B of 0 B, 0 B/s, 0:00 elapsed"));
    assertThat(ProgressLine.size(1023), equalTo("1023 B"));
    assertThat(ProgressLine.size(1536), equalTo("1.5 KiB"));
  }
}
