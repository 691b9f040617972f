package dev.connbal.snoop;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

class SnoopReadErrorCoderTest {
  @Test
  void roundTripsEveryKind() throws CoderException {
    for (SnoopReadError.Kind kind : SnoopReadError.Kind.values()) {
      SnoopReadError e = SnoopReadError.of("s3://b/ä.snoop", 1L << 40, kind, 12345, "msg " + kind);
      byte[] bytes = CoderUtils.encodeToByteArray(SnoopReadErrorCoder.of(), e);
      assertThat(CoderUtils.decodeFromByteArray(SnoopReadErrorCoder.of(), bytes), equalTo(e));
    }
  }

  @Test
  void rejectsMultiLineMessagesAndNegativeCounts() {
    assertThrows(
        IllegalArgumentException.class,
        () -> SnoopReadError.of("f", 0, SnoopReadError.Kind.BAD_MAGIC, 0, "two\nlines"));
    assertThrows(
        IllegalArgumentException.class,
        () -> SnoopReadError.of("f", 0, SnoopReadError.Kind.BAD_MAGIC, -1, "x"));
  }
}
