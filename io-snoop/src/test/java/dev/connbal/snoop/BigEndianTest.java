package dev.connbal.snoop;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** BigEndian reads what a big-endian ByteBuffer reads, at every offset and for every top bit. */
class BigEndianTest {
  @Test
  void readsAsAByteBufferDoes() {
    byte[] b = new byte[4096];
    new SplittableRandom(7).nextBytes(b);
    // Extremes, so that sign handling is covered whatever the random bytes are.
    b[0] = (byte) 0xFF;
    b[1] = (byte) 0xFF;
    b[2] = (byte) 0xFF;
    b[3] = (byte) 0xFF;
    b[4] = (byte) 0x80;
    ByteBuffer big = ByteBuffer.wrap(b);
    for (int at = 0; at + 4 <= b.length; at++) {
      assertThat(BigEndian.u16(b, at), equalTo(Short.toUnsignedInt(big.getShort(at))));
      assertThat(BigEndian.i32(b, at), equalTo(big.getInt(at)));
      assertThat(BigEndian.u32(b, at), equalTo(Integer.toUnsignedLong(big.getInt(at))));
    }
    assertThat(
        BigEndian.u16(b, b.length - 2), equalTo(Short.toUnsignedInt(big.getShort(b.length - 2))));
  }

  @Test
  void readsPastTheEndFail() {
    byte[] b = new byte[5];
    assertThrows(IndexOutOfBoundsException.class, () -> BigEndian.i32(b, 2));
    assertThrows(IndexOutOfBoundsException.class, () -> BigEndian.u16(b, 4));
    assertThrows(IndexOutOfBoundsException.class, () -> BigEndian.u32(b, -1));
  }
}
