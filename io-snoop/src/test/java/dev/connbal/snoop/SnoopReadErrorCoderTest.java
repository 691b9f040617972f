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
  void kindCodesAreFixedAndRoundTrip() throws CoderException {
    SnoopReadError.Kind[] kinds = SnoopReadError.Kind.values();
    for (SnoopReadError.Kind kind : kinds) {
      assertThat(SnoopReadErrorCoder.kind(SnoopReadErrorCoder.code(kind)), equalTo(kind));
    }
    // Pinned: the codes encoded data already uses.
    assertThat(SnoopReadErrorCoder.code(SnoopReadError.Kind.EMPTY_FILE), equalTo(0));
    assertThat(SnoopReadErrorCoder.code(SnoopReadError.Kind.CORRUPT_REGION), equalTo(5));
    assertThat(SnoopReadErrorCoder.code(SnoopReadError.Kind.UNREADABLE), equalTo(7));
    assertThat(SnoopReadErrorCoder.kind(kinds.length), equalTo(null));
    SnoopReadError e = SnoopReadError.of("f", 0, SnoopReadError.Kind.BAD_MAGIC, 0, "m");
    byte[] bytes = CoderUtils.encodeToByteArray(SnoopReadErrorCoder.of(), e);
    // File "f" is a length byte and 'f', offset 0 one varint byte, then the kind's code.
    assertThat(bytes[3], equalTo((byte) 2));
    byte[] unknown = bytes.clone();
    unknown[3] = (byte) kinds.length;
    assertThrows(
        CoderException.class,
        () -> CoderUtils.decodeFromByteArray(SnoopReadErrorCoder.of(), unknown));
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
