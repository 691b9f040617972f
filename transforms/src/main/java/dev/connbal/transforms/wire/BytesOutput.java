package dev.connbal.transforms.wire;

import dev.connbal.transforms.keys.IpAddress;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * A growable byte array to write to: {@link java.io.ByteArrayOutputStream} without its locking,
 * which encoders writing varints one byte at a time would otherwise pay on every byte.
 */
public final class BytesOutput extends OutputStream {
  /** The longest varint of a long: 64 bits, 7 a byte. */
  private static final int MAX_VARLONG_BYTES = 10;

  private byte[] bytes;
  private int size;

  public BytesOutput(int initialCapacity) {
    bytes = new byte[Math.max(initialCapacity, 16)];
  }

  @Override
  public void write(int b) {
    if (size == bytes.length) {
      grow(1);
    }
    bytes[size++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) {
    Objects.checkFromIndexSize(off, len, b.length);
    if (bytes.length - size < len) {
      grow(len);
    }
    System.arraycopy(b, off, bytes, size, len);
    size += len;
  }

  /** Writes {@code address} as {@link IpAddress#writeTo} does. */
  public void writeAddress(IpAddress address) {
    writeAddress(address.high(), address.low());
  }

  /** Writes the address of the two halves ({@link IpAddress#of}) as {@link IpAddress#writeTo}. */
  public void writeAddress(long high, long low) {
    if (bytes.length - size < IpAddress.MAX_ENCODED_BYTES) {
      grow(IpAddress.MAX_ENCODED_BYTES);
    }
    size += IpAddress.encode(high, low, bytes, size);
  }

  /** Forgets what was written, keeping the buffer for the next bytes. */
  public void reset() {
    size = 0;
  }

  /**
   * Writes {@code value} as Beam's {@link org.apache.beam.sdk.util.VarInt#encode(int,
   * java.io.OutputStream)} does (the int's 32 bits unsigned, 7 bits a byte, low first), without a
   * call per byte.
   */
  public void writeVarInt(int value) {
    writeVarLong(value & 0xFFFFFFFFL);
  }

  /**
   * Writes {@code value} as {@link org.apache.beam.sdk.util.VarInt#encode(long,
   * java.io.OutputStream)} does.
   */
  public void writeVarLong(long value) {
    if (bytes.length - size < MAX_VARLONG_BYTES) {
      grow(MAX_VARLONG_BYTES);
    }
    long v = value;
    while ((v & ~0x7FL) != 0) {
      bytes[size++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    bytes[size++] = (byte) v;
  }

  public int size() {
    return size;
  }

  /** The buffer itself (valid up to {@link #size()}); for handing all bytes on in one write. */
  public byte[] buffer() {
    return bytes;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(bytes, size);
  }

  private void grow(int needed) {
    long capacity = Math.max((long) bytes.length * 2, (long) size + needed);
    if (capacity > Integer.MAX_VALUE - 8) {
      throw new OutOfMemoryError("BytesOutput of " + capacity + " bytes");
    }
    bytes = Arrays.copyOf(bytes, (int) capacity);
  }
}
