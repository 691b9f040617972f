package dev.connbal.snoop;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * pcapng: one or more sections, each a Section Header Block (which sets the byte order of its
 * blocks) followed by blocks ({@link PcapngBlockRules}). Interface Description Blocks define the
 * section's interfaces, numbered from 0 in order: link type, snap length and {@code if_tsresol}.
 * Packets come in Enhanced Packet Blocks, obsolete Packet Blocks (interface and time each) and
 * Simple Packet Blocks (interface 0, no time: it takes the time of the packet before it in the
 * file, or 0 when there is none); every other block is skipped. A range learns the state of its
 * start by walking the path from the file's start, or is given it ({@link CaptureFileReader}).
 *
 * <pre>
 * Enhanced Packet Block (6)            Simple Packet Block (3)     Interface Description (1)
 * | Type | Total Length |              | Type | Total Length |     | Type | Total Length |
 * | Interface ID        |              | Original Packet Len |     | LinkType | Reserved |
 * | Timestamp (Upper)   |              / Packet Data         /     | SnapLen             |
 * | Timestamp (Lower)   |              | Total Length        |     / Options             /
 * | Captured Packet Len |                                          | Total Length        |
 * | Original Packet Len |     The obsolete Packet Block (2) is the Enhanced one with a
 * / Packet Data, Options/     16-bit Interface ID followed by a 16-bit Drops Count.
 * | Total Length        |
 * </pre>
 */
final class PcapngFileReader extends CaptureFormatReader {
  static final int BLOCK_INTERFACE = 1;
  static final int BLOCK_PACKET = 2;
  static final int BLOCK_SIMPLE_PACKET = 3;
  static final int BLOCK_ENHANCED_PACKET = 6;
  static final int OPTION_END = 0;
  static final int OPTION_TSRESOL = 9;
  static final int VERSION_MAJOR = 1;

  private static final byte[] MAGIC = {0x0A, 0x0D, 0x0D, 0x0A};
  private static final int SECTION_HEADER_MIN = 28;
  private static final int VERSION_AT = 12;
  private static final int INTERFACE_MIN = 20;
  private static final int PACKET_MIN = 32;
  private static final int SIMPLE_PACKET_MIN = 16;
  private static final int PACKET_DATA_AT = 28;
  private static final int SIMPLE_PACKET_DATA_AT = 12;

  /** Room for a packet block's options (and other blocks' contents) beyond the largest packet. */
  private static final int MAX_OPTIONS_LENGTH = 1 << 16;

  private static final long[] POWERS_OF_TEN = new long[19];

  static {
    POWERS_OF_TEN[0] = 1;
    for (int k = 1; k < POWERS_OF_TEN.length; k++) {
      POWERS_OF_TEN[k] = POWERS_OF_TEN[k - 1] * 10;
    }
  }

  private final long bytesToRead;
  private final int maxIncluded;
  private PcapngBlockRules[] orders;
  private RecordChain[] chains;

  /** The section's byte order: index into {@link #orders} and {@link #chains}. */
  private int order;

  /** The section's interfaces, by number: link type, snap length, time resolution. */
  private int interfaceCount;

  private int[] linkTypes = new int[4];
  private long[] snapLengths = new long[4];

  /** {@code if_tsresol}: the exponent of 10, or of 2 when the high bit is set; -1 if unusable. */
  private int[] resolutions = new int[4];

  /** Time of the last packet read, which a Simple Packet Block takes. */
  private long lastSeconds;

  private int lastMicroseconds;

  /** Where {@link #rangeStart} stopped walking. */
  private long walked;

  PcapngFileReader(String file, SnoopInput in, int maxIncludedLength, long bytesToRead) {
    super(file, in, maxIncludedLength);
    this.bytesToRead = bytesToRead;
    this.maxIncluded = Math.min(maxIncludedLength, RecordHeaderRules.MAX_ORIGINAL_LENGTH);
  }

  /** Whether the data starts with a section header's block type, as far as {@code n} bytes tell. */
  static boolean matches(byte[] b, int i, int n) {
    return CaptureFileReader.startsWith(b, i, n, MAGIC);
  }

  @Override
  SnoopReadError readFileHeader(long storedSize) throws IOException {
    int maxBlock =
        ((PACKET_MIN + maxIncluded + 3) & ~3) + Math.min(MAX_OPTIONS_LENGTH, maxIncluded);
    orders = PcapngBlockRules.bothOrders(maxBlock);
    int scanChunk = reserveBuffer(RecordChain.bufferNeeded(orders[0]), bytesToRead);
    chains =
        new RecordChain[] {
          new RecordChain(in, orders[0], 0, scanChunk), new RecordChain(in, orders[1], 0, scanChunk)
        };
    int n = in.ensure(0, VERSION_AT + 2);
    byte[] b = in.array();
    int i = in.index(0);
    if (n < VERSION_AT + 2) {
      return fileError(
          SnoopReadError.Kind.TRUNCATED_FILE_HEADER,
          0,
          storedSize,
          n,
          "truncated file header: " + n + " bytes of a pcapng section header block");
    }
    PcapngBlockRules section = orders[0].ofSection(b, i);
    if (section == null) {
      return fileError(
          SnoopReadError.Kind.BAD_MAGIC,
          0,
          storedSize,
          n,
          "not a pcapng file: its section header block has no byte-order magic");
    }
    int major = FileOrder.u16(b, i + VERSION_AT, section.bigEndian());
    if (major != VERSION_MAJOR) {
      return fileError(
          SnoopReadError.Kind.UNSUPPORTED_VERSION,
          VERSION_AT,
          storedSize,
          n,
          "unsupported pcapng version " + major + ", only version 1 is supported");
    }
    return null;
  }

  @Override
  long dataStart() {
    return 0;
  }

  /** Walks on from where the last call stopped: {@code x} may only grow from call to call. */
  @Override
  long rangeStart(long x) throws IOException {
    long pos = walked;
    while (pos < x && in.ensure(pos, 1) > 0) {
      pos = readItem(pos, CaptureFileReader.MUTED);
    }
    walked = pos;
    return pos;
  }

  /**
   * The section's byte order, its interfaces and the last packet's time: all that {@link #readItem}
   * depends on besides the bytes, so a range restoring it at the position of the walk reads as the
   * walk's reader would.
   */
  @Override
  byte[] walkState() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(24 + 16 * interfaceCount);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(order);
      out.writeLong(lastSeconds);
      out.writeInt(lastMicroseconds);
      out.writeInt(interfaceCount);
      for (int k = 0; k < interfaceCount; k++) {
        out.writeInt(linkTypes[k]);
        out.writeLong(snapLengths[k]);
        out.writeInt(resolutions[k]);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  @Override
  void restoreWalkState(byte[] state) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
      order = in.readUnsignedByte();
      lastSeconds = in.readLong();
      lastMicroseconds = in.readInt();
      interfaceCount = in.readInt();
      int room = Math.max(4, interfaceCount);
      linkTypes = new int[room];
      snapLengths = new long[room];
      resolutions = new int[room];
      for (int k = 0; k < interfaceCount; k++) {
        linkTypes[k] = in.readInt();
        snapLengths[k] = in.readLong();
        resolutions[k] = in.readInt();
      }
      if (order > 1 || in.read() != -1) {
        throw new IOException("not a pcapng walk state");
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(oneLine(file) + ": " + e.getMessage(), e);
    }
  }

  @Override
  long rangeStop(long x) {
    return x;
  }

  @Override
  boolean stopsExactly() {
    return false;
  }

  @Override
  long readItem(long pos, CaptureFileReader.Sink sink) throws IOException {
    lastItemTruncated = false;
    PcapngBlockRules rules = orders[order];
    int header = rules.headerLength();
    int avail = in.ensure(pos, header);
    if (avail < header) {
      return truncatedRecord(
          pos, avail, "only " + avail + " bytes of a " + header + "-byte block header", sink);
    }
    byte[] b = in.array();
    int i = in.index(pos);
    if (!rules.isValid(b, i)) {
      String why = rules.whyInvalid(b, i);
      return corruptRegion(pos, chains[order].firstProvenAtOrAfter(pos + 1), "block", why, sink);
    }
    int length = rules.recordLength(b, i);
    int got = in.ensure(pos, length);
    if (got < length) {
      return truncatedRecord(
          pos, got, "block total length " + length + " but only " + got + " bytes", sink);
    }
    b = in.array();
    i = in.index(pos);
    if (!rules.closes(b, i, length)) {
      String why = rules.whyNotClosed(b, i, length);
      return corruptRegion(pos, chains[order].firstProvenAtOrAfter(pos + 1), "block", why, sink);
    }
    String unusable = readBlock(pos, b, i, length, sink);
    if (unusable != null) {
      return corruptRegion(pos, pos + length, "block", unusable, sink);
    }
    return pos + length;
  }

  /**
   * Acts on the whole, closed block at {@code b[i]}: a packet to the sink, a section header or an
   * interface to the state, others skipped. Returns why the block cannot be used, or null.
   */
  private String readBlock(long pos, byte[] b, int i, int length, CaptureFileReader.Sink sink) {
    if (PcapngBlockRules.isSectionHeader(b, i)) {
      return sectionHeader(pos, b, i, length, sink);
    }
    boolean big = orders[order].bigEndian();
    int type = orders[order].type(b, i);
    switch (type) {
      case BLOCK_INTERFACE -> {
        return interfaceDescription(pos, b, i, length, big, sink);
      }
      case BLOCK_ENHANCED_PACKET, BLOCK_PACKET -> {
        return packet(pos, b, i, length, big, type == BLOCK_PACKET, sink);
      }
      case BLOCK_SIMPLE_PACKET -> {
        return simplePacket(pos, b, i, length, big, sink);
      }
      default -> {
        sink.metadata(pos, length);
        return null;
      }
    }
  }

  private String sectionHeader(long pos, byte[] b, int i, int length, CaptureFileReader.Sink sink) {
    PcapngBlockRules section = orders[order].ofSection(b, i);
    order = section == orders[0] ? 0 : 1;
    interfaceCount = 0;
    if (length < SECTION_HEADER_MIN) {
      return "section header block of " + length + " bytes, less than 28";
    }
    int major = FileOrder.u16(b, i + VERSION_AT, section.bigEndian());
    if (major != VERSION_MAJOR) {
      return "section of unsupported version " + major;
    }
    sink.metadata(pos, length);
    return null;
  }

  private String interfaceDescription(
      long pos, byte[] b, int i, int length, boolean big, CaptureFileReader.Sink sink) {
    if (length < INTERFACE_MIN) {
      return "interface description block of " + length + " bytes, less than 20";
    }
    if (interfaceCount == linkTypes.length) {
      linkTypes = Arrays.copyOf(linkTypes, 2 * interfaceCount);
      snapLengths = Arrays.copyOf(snapLengths, 2 * interfaceCount);
      resolutions = Arrays.copyOf(resolutions, 2 * interfaceCount);
    }
    linkTypes[interfaceCount] = FileOrder.u16(b, i + 8, big);
    SnoopReadError unsupported =
        unsupportedLinkType(
            pos + 8,
            linkTypes[interfaceCount],
            "interface " + interfaceCount + " of its section, block at offset " + pos);
    if (unsupported != null) {
      sink.error(unsupported);
    }
    snapLengths[interfaceCount] = FileOrder.u32(b, i + 12, big);
    resolutions[interfaceCount] = timeResolution(b, i + 16, i + length - 4, big);
    interfaceCount++;
    sink.metadata(pos, length);
    return null;
  }

  /**
   * The {@code if_tsresol} among the options in {@code b[from .. end)}: 6 (microseconds) when
   * absent, -1 when its units per second do not fit 63 bits. Options are code, length, value padded
   * to 4 bytes; a list that runs past the block ends there.
   */
  static int timeResolution(byte[] b, int from, int end, boolean big) {
    int p = from;
    while (p + 4 <= end) {
      int code = FileOrder.u16(b, p, big);
      int length = FileOrder.u16(b, p + 2, big);
      if (code == OPTION_END || p + 4 + length > end) {
        break;
      }
      if (code == OPTION_TSRESOL && length >= 1) {
        int r = b[p + 4] & 0xff;
        int exponent = r & 0x7f;
        boolean usable = (r & 0x80) != 0 ? exponent <= 62 : exponent < POWERS_OF_TEN.length;
        return usable ? r : -1;
      }
      p += 4 + ((length + 3) & ~3);
    }
    return 6;
  }

  private String packet(
      long pos,
      byte[] b,
      int i,
      int length,
      boolean big,
      boolean obsolete,
      CaptureFileReader.Sink sink) {
    if (length < PACKET_MIN) {
      return "packet block of " + length + " bytes, less than 32";
    }
    long id = obsolete ? FileOrder.u16(b, i + 8, big) : FileOrder.u32(b, i + 8, big);
    int drops = obsolete ? FileOrder.u16(b, i + 10, big) : 0;
    long captured = FileOrder.u32(b, i + 20, big);
    long original = FileOrder.u32(b, i + 24, big);
    if (id >= interfaceCount) {
      return "packet of interface " + id + ", but the section defines " + interfaceCount;
    }
    if (captured > length - PACKET_MIN || captured > maxIncluded) {
      return "captured length " + captured + " does not fit the block or exceeds " + maxIncluded;
    }
    int resolution = resolutions[(int) id];
    if (resolution < 0) {
      return "interface " + id + " has an unusable timestamp resolution";
    }
    long units = FileOrder.u32(b, i + 12, big) << 32 | FileOrder.u32(b, i + 16, big);
    long seconds = seconds(units, resolution);
    if (seconds < 0 || seconds > SnoopRecord.MAX_SECONDS) {
      return "timestamp " + Long.toUnsignedString(units) + " out of range";
    }
    lastSeconds = seconds;
    lastMicroseconds = microseconds(units, resolution);
    emit(pos, length, linkTypes[(int) id], original, drops, b, i + PACKET_DATA_AT, captured, sink);
    return null;
  }

  private String simplePacket(
      long pos, byte[] b, int i, int length, boolean big, CaptureFileReader.Sink sink) {
    if (length < SIMPLE_PACKET_MIN) {
      return "simple packet block of " + length + " bytes, less than 16";
    }
    if (interfaceCount == 0) {
      return "simple packet block, but the section defines no interface";
    }
    long original = FileOrder.u32(b, i + 8, big);
    long captured = Math.min(original, length - SIMPLE_PACKET_MIN);
    if (snapLengths[0] > 0) {
      captured = Math.min(captured, snapLengths[0]);
    }
    if (captured > maxIncluded) {
      return "captured length " + captured + " exceeds " + maxIncluded;
    }
    emit(pos, length, linkTypes[0], original, 0, b, i + SIMPLE_PACKET_DATA_AT, captured, sink);
    return null;
  }

  private void emit(
      long pos,
      int length,
      int linkType,
      long original,
      int drops,
      byte[] b,
      int frame,
      long captured,
      CaptureFileReader.Sink sink) {
    // A writer's original length below the captured one is its error: the frame is what counts.
    int originalLength = (int) Math.min(Integer.MAX_VALUE, Math.max(original, captured));
    view.set(
        pos,
        length,
        linkType,
        lastSeconds,
        lastMicroseconds,
        originalLength,
        drops,
        b,
        frame,
        (int) captured);
    sink.record(view);
  }

  /** Whole seconds of {@code units} (unsigned) at {@code if_tsresol} {@code resolution}. */
  static long seconds(long units, int resolution) {
    int exponent = resolution & 0x7f;
    if ((resolution & 0x80) != 0) {
      return units >>> exponent;
    }
    return Long.divideUnsigned(units, POWERS_OF_TEN[exponent]);
  }

  /** The microseconds within the second of {@code units}, finer resolutions truncated. */
  static int microseconds(long units, int resolution) {
    int exponent = resolution & 0x7f;
    if ((resolution & 0x80) != 0) {
      if (exponent == 0) {
        return 0;
      }
      // fraction / 2^e * 10^6, as the high word of the fraction shifted to the top times 10^6.
      long top = units << (64 - exponent);
      return (int) (Math.multiplyHigh(top, 1_000_000L) + (top < 0 ? 1_000_000L : 0));
    }
    long fraction = Long.remainderUnsigned(units, POWERS_OF_TEN[exponent]);
    return (int)
        (exponent >= 6
            ? fraction / POWERS_OF_TEN[exponent - 6]
            : fraction * POWERS_OF_TEN[6 - exponent]);
  }
}
