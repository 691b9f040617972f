package dev.connbal.transforms.wire;

import java.io.InputStream;
import java.util.Objects;

/**
 * Reads a byte array: {@link java.io.ByteArrayInputStream} without its locking, which a decoder
 * reading millions of varints one byte at a time would otherwise pay on every byte.
 */
public final class BytesInput extends InputStream {
  private final byte[] bytes;
  private int position;

  public BytesInput(byte[] bytes) {
    this.bytes = bytes;
  }

  @Override
  public int read() {
    return position < bytes.length ? bytes[position++] & 0xFF : -1;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      return 0;
    }
    int n = Math.min(len, bytes.length - position);
    if (n <= 0) {
      return -1;
    }
    System.arraycopy(bytes, position, b, off, n);
    position += n;
    return n;
  }

  /** Bytes not read yet. */
  int remaining() {
    return bytes.length - position;
  }

  @Override
  public int available() {
    return remaining();
  }
}
