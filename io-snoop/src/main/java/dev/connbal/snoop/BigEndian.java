package dev.connbal.snoop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Big-endian (network order) integers read from byte arrays, for snoop headers and the frames
 * inside them. Each read is one bounds-checked load through a byte-array view (and a byte swap on
 * little-endian machines) where the byte-by-byte form is two or four loads with shifts and masks:
 * the reader and the frame decoders make several such reads per packet.
 */
public final class BigEndian {
  private static final VarHandle SHORT =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

  private BigEndian() {}

  /** The unsigned 16-bit integer at {@code b[at]}, {@code b[at + 1]}. */
  public static int u16(byte[] b, int at) {
    return (short) SHORT.get(b, at) & 0xffff;
  }

  /** The 32-bit integer at {@code b[at] .. b[at + 3]}, as a (possibly negative) int. */
  public static int i32(byte[] b, int at) {
    return (int) INT.get(b, at);
  }

  /** The unsigned 32-bit integer at {@code b[at] .. b[at + 3]}. */
  public static long u32(byte[] b, int at) {
    return i32(b, at) & 0xffffffffL;
  }
}
