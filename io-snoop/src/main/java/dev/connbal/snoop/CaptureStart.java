package dev.connbal.snoop;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.util.Arrays;
import java.util.OptionalLong;
import java.util.zip.GZIPInputStream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * When a capture begins: the timestamp of its first record, read from the first bytes of the file
 * (gzip-compressed or not, told by its magic), without reading the rest. A watch over arriving
 * captures uses it to tell how far capture time has come before the files are read.
 */
public final class CaptureStart {
  private static final int GZIP_MAGIC = 0x1f8b;

  private CaptureStart() {}

  /**
   * The first record's time in microseconds since the epoch; empty when the file is not a snoop
   * capture or holds no complete first record header.
   */
  public static OptionalLong firstRecordMicros(ResourceId file) throws IOException {
    try (InputStream raw = Channels.newInputStream(FileSystems.open(file));
        BufferedInputStream in = new BufferedInputStream(raw)) {
      in.mark(2);
      int magic = (in.read() << 8) | in.read();
      in.reset();
      InputStream bytes = magic == GZIP_MAGIC ? new GZIPInputStream(in) : in;
      byte[] head =
          bytes.readNBytes(SnoopWriter.FILE_HEADER_LENGTH + SnoopWriter.RECORD_HEADER_LENGTH);
      return firstRecordMicros(head);
    }
  }

  /** The first record's time from a capture's first bytes; see {@link #firstRecordMicros}. */
  static OptionalLong firstRecordMicros(byte[] head) {
    int record = SnoopWriter.FILE_HEADER_LENGTH;
    if (head.length < record + SnoopWriter.RECORD_HEADER_LENGTH
        || !Arrays.equals(
            head, 0, SnoopWriter.MAGIC.length, SnoopWriter.MAGIC, 0, SnoopWriter.MAGIC.length)) {
      return OptionalLong.empty();
    }
    long seconds = BigEndian.u32(head, record + 16);
    long micros = BigEndian.u32(head, record + 20);
    return OptionalLong.of(seconds * 1_000_000L + micros);
  }
}
