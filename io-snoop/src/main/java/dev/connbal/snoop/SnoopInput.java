package dev.connbal.snoop;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;

/**
 * A window of a byte channel held in one large array, addressed by absolute offsets in the
 * (uncompressed) data. Callers {@link #ensure} the bytes they need and then read them straight from
 * {@link #array()} at {@link #index}: no per-record stream objects and no per-byte calls.
 *
 * <p>Moving backwards needs a {@link SeekableByteChannel}; a plain channel (decompressed data) can
 * only move forward, which is all a sequential read does.
 */
final class SnoopInput implements Closeable {
  private final ReadableByteChannel channel;
  private final SeekableByteChannel seekable;
  private byte[] buf;
  private ByteBuffer target;
  private final boolean endAtChannelError;
  private long bufStart;
  private int limit;
  private boolean eof;
  private boolean endedAbruptly;

  /**
   * @param channel the data, positioned at offset 0
   * @param capacity buffer size; the largest span a caller may {@link #ensure}
   * @param endAtChannelError whether an I/O error while reading ends the data (as for a truncated
   *     compressed stream) instead of propagating
   */
  SnoopInput(ReadableByteChannel channel, int capacity, boolean endAtChannelError) {
    this.channel = channel;
    this.seekable = channel instanceof SeekableByteChannel s ? s : null;
    this.buf = new byte[capacity];
    this.target = ByteBuffer.wrap(buf);
    this.endAtChannelError = endAtChannelError;
  }

  /** The largest span {@link #ensure} can make available. */
  int capacity() {
    return buf.length;
  }

  /**
   * Grows the buffer to at least {@code capacity} bytes, keeping what it holds: a reader learns how
   * much it needs only once it knows the file's format.
   */
  void ensureCapacity(int capacity) {
    if (capacity > buf.length) {
      byte[] grown = new byte[capacity];
      System.arraycopy(buf, 0, grown, 0, limit);
      buf = grown;
      target = ByteBuffer.wrap(buf);
    }
  }

  byte[] array() {
    return buf;
  }

  /** Index in {@link #array()} of offset {@code pos}; valid after {@code ensure(pos, n)}. */
  int index(long pos) {
    return (int) (pos - bufStart);
  }

  /** Whether the data stopped because of a read error rather than a clean end of stream. */
  boolean endedAbruptly() {
    return endedAbruptly;
  }

  /**
   * Makes bytes {@code [pos, pos + n)} available and returns how many are: {@code n}, or fewer when
   * the data ends before {@code pos + n}.
   */
  int ensure(long pos, int n) throws IOException {
    if (n > buf.length) {
      throw new IllegalArgumentException("span " + n + " exceeds buffer of " + buf.length);
    }
    long bufEnd = bufStart + limit;
    if (pos >= bufStart && pos + n <= bufEnd) {
      return n;
    }
    if (pos < bufStart || pos > bufEnd) {
      moveTo(pos);
    } else {
      int keep = (int) (bufEnd - pos);
      System.arraycopy(buf, (int) (pos - bufStart), buf, 0, keep);
      bufStart = pos;
      limit = keep;
    }
    while (limit < n && !eof) {
      fill();
    }
    return (int) Math.min(n, limit);
  }

  private void moveTo(long pos) throws IOException {
    long bufEnd = bufStart + limit;
    if (seekable != null) {
      seekable.position(pos);
      bufStart = pos;
      limit = 0;
      eof = false;
      return;
    }
    if (pos < bufStart) {
      throw new IllegalStateException(
          "cannot move back from offset " + bufStart + " to " + pos + " in a non-seekable channel");
    }
    // Forward on a plain channel: read and drop the bytes in between.
    long toSkip = pos - bufEnd;
    bufStart = bufEnd;
    limit = 0;
    while (toSkip > 0 && !eof) {
      fill();
      int drop = (int) Math.min(toSkip, limit);
      bufStart += drop;
      System.arraycopy(buf, drop, buf, 0, limit - drop);
      limit -= drop;
      toSkip -= drop;
    }
  }

  private void fill() throws IOException {
    target.limit(buf.length).position(limit);
    int read;
    try {
      read = channel.read(target);
    } catch (IOException e) {
      if (!endAtChannelError) {
        throw e;
      }
      // Keep what the failing read delivered before it failed: the data ends there.
      limit = target.position();
      endedAbruptly = true;
      eof = true;
      return;
    }
    if (read < 0) {
      eof = true;
    } else {
      limit += read;
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
