package dev.connbal.snoop;

import java.io.IOException;

/**
 * pcap (libpcap's format): a 24-byte file header in the writer's byte order, then records of a
 * 16-byte header and the frame, no padding.
 *
 * <pre>
 * file header                              record header
 * +---------------------------------+      +---------------------------------+
 * | Magic Number                    |      | Timestamp (Seconds)             |
 * | Major Version   | Minor Version |      | Timestamp (Micro or Nanosecs)   |
 * | Reserved1 (thiszone)            |      | Captured Packet Length          |
 * | Reserved2 (sigfigs)             |      | Original Packet Length          |
 * | SnapLen                         |      +---------------------------------+
 * | FCS, f, LinkType (low 16 bits)  |
 * +---------------------------------+
 * </pre>
 *
 * The magic {@code a1b2c3d4} means microsecond, {@code a1b23c4d} nanosecond timestamps; read in the
 * other byte order it means the file is in that order. Nanoseconds are truncated to microseconds.
 */
final class PcapFileReader extends ChainedRecordReader {
  static final int FILE_HEADER_LENGTH = 24;
  static final int MAGIC_MICROSECONDS = 0xa1b2c3d4;
  static final int MAGIC_NANOSECONDS = 0xa1b23c4d;
  static final int VERSION_MAJOR = 2;
  private static final int MAJOR_AT = 4;
  private static final int LINK_TYPE_AT = 20;

  PcapFileReader(String file, SnoopInput in, int maxIncludedLength, long bytesToRead) {
    super(file, in, maxIncludedLength, bytesToRead);
  }

  /** Whether the data starts with a pcap magic, as far as {@code n} bytes tell. */
  static boolean matches(byte[] b, int i, int n) {
    for (int magic : new int[] {MAGIC_MICROSECONDS, MAGIC_NANOSECONDS}) {
      if (CaptureFileReader.startsWith(b, i, n, bytes(magic, true))
          || CaptureFileReader.startsWith(b, i, n, bytes(magic, false))) {
        return true;
      }
    }
    return false;
  }

  private static byte[] bytes(int v, boolean bigEndian) {
    byte[] out = new byte[4];
    for (int k = 0; k < 4; k++) {
      int shift = bigEndian ? 24 - 8 * k : 8 * k;
      out[k] = (byte) (v >>> shift);
    }
    return out;
  }

  @Override
  SnoopReadError readFileHeader(long storedSize) throws IOException {
    int n = in.ensure(0, FILE_HEADER_LENGTH);
    if (n < FILE_HEADER_LENGTH) {
      return truncatedFileHeader(storedSize, n, FILE_HEADER_LENGTH, "pcap");
    }
    byte[] b = in.array();
    int i = in.index(0);
    int magic = BigEndian.i32(b, i);
    boolean bigEndian = magic == MAGIC_MICROSECONDS || magic == MAGIC_NANOSECONDS;
    int inFileOrder = bigEndian ? magic : Integer.reverseBytes(magic);
    boolean nanoseconds = inFileOrder == MAGIC_NANOSECONDS;
    int major = FileOrder.u16(b, i + MAJOR_AT, bigEndian);
    if (major != VERSION_MAJOR) {
      return fileError(
          SnoopReadError.Kind.UNSUPPORTED_VERSION,
          MAJOR_AT,
          storedSize,
          n,
          "unsupported pcap version " + major + ", only version 2 is supported");
    }
    int linkType = (int) (FileOrder.u32(b, i + LINK_TYPE_AT, bigEndian) & 0xffff);
    headerNotice = unsupportedLinkType(LINK_TYPE_AT, linkType, "pcap file header");
    startRecords(
        RecordHeaderRules.Layout.pcap(bigEndian, nanoseconds), linkType, FILE_HEADER_LENGTH);
    return null;
  }

  @Override
  int cumulativeDrops(byte[] b, int headerIndex) {
    return 0;
  }
}
