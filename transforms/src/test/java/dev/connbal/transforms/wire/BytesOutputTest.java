package dev.connbal.transforms.wire;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.apache.beam.sdk.util.VarInt;
import org.junit.jupiter.api.Test;

/** Varints written straight into the array are the bytes Beam's {@link VarInt} writes. */
class BytesOutputTest {
  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  @Test
  void varintsByHand() {
    BytesOutput out = new BytesOutput(0);
    out.writeVarInt(0);
    out.writeVarInt(300);
    out.writeVarInt(-1);
    out.writeVarLong(1L << 63);
    assertThat(
        out.toByteArray(),
        equalTo(
            bytes(
                0x00, // 0
                0xAC, 0x02, // 300 = 0b10_0101100
                0xFF, 0xFF, 0xFF, 0xFF, 0x0F, // -1 as an int: 32 bits unsigned
                0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01))); // 2^63
  }

  @Test
  void varintsAreBeamsAcrossTheirLengths() throws IOException {
    ByteArrayOutputStream beam = new ByteArrayOutputStream();
    // Starts small, so that the array grows while varints are written.
    BytesOutput out = new BytesOutput(1);
    long[] longs = {0, 1, 127, 128, 16_383, 16_384, -1, Long.MIN_VALUE, Long.MAX_VALUE, -300};
    int[] ints = {0, 127, 128, Integer.MAX_VALUE, Integer.MIN_VALUE, -1, -128, 0x0A000001};
    for (int round = 0; round < 50; round++) {
      for (long v : longs) {
        VarInt.encode(v + round, beam);
        out.writeVarLong(v + round);
      }
      for (int v : ints) {
        VarInt.encode(v + round, beam);
        out.writeVarInt(v + round);
      }
    }
    assertThat(Arrays.equals(out.toByteArray(), beam.toByteArray()), equalTo(true));
  }
}
