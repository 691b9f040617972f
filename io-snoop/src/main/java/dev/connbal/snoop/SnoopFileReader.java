package dev.connbal.snoop;

import java.io.IOException;

/**
 * Snoop version 2 (RFC 1761): a 16-byte big-endian file header ({@code "snoop\0\0\0"}, version,
 * datalink), then records of a 24-byte header, the frame and padding.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------------------------------------------------------+
 * |                        Original Length                        |
 * |                        Included Length                        |
 * |                      Packet Record Length                     |
 * |                        Cumulative Drops                       |
 * |                       Timestamp Seconds                       |
 * |                     Timestamp Microseconds                    |
 * +---------------------------------------------------------------+
 * </pre>
 */
final class SnoopFileReader extends ChainedRecordReader {
  static final int FILE_HEADER_LENGTH = SnoopWriter.FILE_HEADER_LENGTH;
  private static final int VERSION_AT = 8;
  private static final int DATALINK_AT = 12;
  private static final int DROPS_AT = 12;

  SnoopFileReader(String file, SnoopInput in, int maxIncludedLength, long bytesToRead) {
    super(file, in, maxIncludedLength, bytesToRead);
  }

  /** Whether the data starts with snoop's magic, as far as {@code n} bytes tell. */
  static boolean matches(byte[] b, int i, int n) {
    return CaptureFileReader.startsWith(b, i, n, SnoopWriter.MAGIC);
  }

  @Override
  SnoopReadError readFileHeader(long storedSize) throws IOException {
    int n = in.ensure(0, FILE_HEADER_LENGTH);
    if (n < FILE_HEADER_LENGTH) {
      return truncatedFileHeader(storedSize, n, FILE_HEADER_LENGTH, "snoop");
    }
    byte[] b = in.array();
    int i = in.index(0);
    long version = BigEndian.u32(b, i + VERSION_AT);
    if (version != SnoopWriter.VERSION) {
      return fileError(
          SnoopReadError.Kind.UNSUPPORTED_VERSION,
          VERSION_AT,
          storedSize,
          n,
          "unsupported snoop version " + version + ", only version 2 is supported");
    }
    long datalink = BigEndian.u32(b, i + DATALINK_AT);
    if (datalink != SnoopWriter.DATALINK_ETHERNET && datalink != 0) {
      return fileError(
          SnoopReadError.Kind.UNSUPPORTED_DATALINK,
          DATALINK_AT,
          storedSize,
          n,
          "unsupported datalink type "
              + datalink
              + ", only Ethernet (4, or 0 as some writers use) is supported");
    }
    startRecords(
        RecordHeaderRules.Layout.SNOOP,
        LinkTypes.fromSnoopDatalink((int) datalink),
        FILE_HEADER_LENGTH);
    return null;
  }

  @Override
  int cumulativeDrops(byte[] b, int headerIndex) {
    return BigEndian.i32(b, headerIndex + DROPS_AT);
  }
}
