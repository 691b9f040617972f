package dev.connbal.snoop;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Writes snoop version 2 files (RFC 1761): the 16-byte file header, then one record per packet,
 * each padded to a multiple of 4 bytes. Used by tests, examples and the benchmark generator.
 *
 * <p>Not thread-safe. Closing the writer closes the stream.
 */
public final class SnoopWriter implements Closeable {
  /** File magic: "snoop" and three NUL bytes. */
  public static final byte[] MAGIC = "snoop\0\0\0".getBytes(StandardCharsets.US_ASCII);

  public static final int VERSION = 2;
  public static final int DATALINK_ETHERNET = 4;
  public static final int FILE_HEADER_LENGTH = 16;
  public static final int RECORD_HEADER_LENGTH = 24;

  private final OutputStream out;
  private final ByteBuffer header = ByteBuffer.allocate(RECORD_HEADER_LENGTH);
  private long bytesWritten;

  private SnoopWriter(OutputStream out) {
    this.out = out;
  }

  /** Starts an Ethernet snoop file on {@code out}. */
  public static SnoopWriter ethernet(OutputStream out) throws IOException {
    return withDatalink(out, DATALINK_ETHERNET);
  }

  /** Starts a snoop version 2 file of the given datalink type on {@code out}. */
  public static SnoopWriter withDatalink(OutputStream out, int datalinkType) throws IOException {
    SnoopWriter w = new SnoopWriter(out);
    ByteBuffer fileHeader = ByteBuffer.allocate(FILE_HEADER_LENGTH);
    fileHeader.put(MAGIC).putInt(VERSION).putInt(datalinkType);
    w.write(fileHeader.array(), fileHeader.array().length);
    return w;
  }

  /** Appends a record for a frame captured whole at the given time. */
  public SnoopWriter write(long seconds, int microseconds, byte[] frame) throws IOException {
    return write(seconds, microseconds, frame.length, 0, frame);
  }

  /**
   * Appends a record. {@code originalLength} may exceed {@code frame.length} for a frame captured
   * with a snap length.
   */
  public SnoopWriter write(
      long seconds, int microseconds, int originalLength, int cumulativeDrops, byte[] frame)
      throws IOException {
    if (microseconds < 0 || microseconds >= 1_000_000) {
      throw new IllegalArgumentException("microseconds must be in [0, 1000000): " + microseconds);
    }
    if (seconds < 0 || seconds > 0xFFFFFFFFL) {
      throw new IllegalArgumentException("seconds must fit an unsigned 32-bit value: " + seconds);
    }
    if (originalLength < frame.length) {
      throw new IllegalArgumentException("originalLength < frame length");
    }
    int recordLength = paddedRecordLength(frame.length);
    header.clear();
    header
        .putInt(originalLength)
        .putInt(frame.length)
        .putInt(recordLength)
        .putInt(cumulativeDrops)
        .putInt((int) seconds)
        .putInt(microseconds);
    write(header.array(), RECORD_HEADER_LENGTH);
    write(frame, frame.length);
    int padding = recordLength - RECORD_HEADER_LENGTH - frame.length;
    if (padding > 0) {
      write(new byte[padding], padding);
    }
    return this;
  }

  /** Record length (header, frame and padding) of a record holding {@code frameLength} bytes. */
  public static int paddedRecordLength(int frameLength) {
    return (RECORD_HEADER_LENGTH + frameLength + 3) & ~3;
  }

  /** Bytes written so far, file header included. */
  public long bytesWritten() {
    return bytesWritten;
  }

  private void write(byte[] bytes, int length) throws IOException {
    out.write(bytes, 0, length);
    bytesWritten += length;
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
