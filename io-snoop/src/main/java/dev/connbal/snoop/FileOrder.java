package dev.connbal.snoop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Integers of a capture's own byte order (pcap and pcapng files are written in the writer's order,
 * snoop always big-endian), read from byte arrays as {@link BigEndian} reads network order.
 */
final class FileOrder {
  private static final VarHandle SHORT_LE =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT_LE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle SHORT_BE =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private FileOrder() {}

  /** The unsigned 16-bit integer at {@code b[at]}. */
  static int u16(byte[] b, int at, boolean bigEndian) {
    return (bigEndian ? (short) SHORT_BE.get(b, at) : (short) SHORT_LE.get(b, at)) & 0xffff;
  }

  /** The unsigned 32-bit integer at {@code b[at]}. */
  static long u32(byte[] b, int at, boolean bigEndian) {
    return (bigEndian ? BigEndian.i32(b, at) : (int) INT_LE.get(b, at)) & 0xffffffffL;
  }

  /** The 64-bit integer at {@code b[at]}. */
  static long i64(byte[] b, int at, boolean bigEndian) {
    return bigEndian ? (long) LONG_BE.get(b, at) : (long) LONG_LE.get(b, at);
  }
}
