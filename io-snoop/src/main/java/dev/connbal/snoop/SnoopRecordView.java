package dev.connbal.snoop;

/**
 * One good record as the reader sees it: the header fields, and the frame bytes still in the
 * reader's buffer. A view is valid only during the call that receives it; the reader reuses it for
 * the next record, so a parser reads what it needs in place ({@link #buffer()} from {@link
 * #frameOffset()}, {@link #includedLength()} bytes) and copies only what it keeps ({@link
 * #toRecord()}). Reading in place is what lets a {@link SnoopRecordParser} decode a capture without
 * one allocation or pipeline element per packet.
 */
public final class SnoopRecordView {
  private final String file;
  private long recordOffset;
  private int datalinkType;
  private byte[] buffer;
  // The header's fields are read from the buffer when asked for: parsers read two or three of
  // them per record, and the reader has already validated the header.
  private int header;

  SnoopRecordView(String file) {
    this.file = file;
  }

  /** Points the view at the record whose header starts at {@code buffer[headerIndex]}. */
  void set(long recordOffset, int datalinkType, byte[] buffer, int headerIndex) {
    this.recordOffset = recordOffset;
    this.datalinkType = datalinkType;
    this.buffer = buffer;
    this.header = headerIndex;
  }

  /** The file (as a Beam resource id string) the record was read from. */
  public String file() {
    return file;
  }

  /** Offset of the record header in the file (uncompressed offset for compressed files). */
  public long recordOffset() {
    return recordOffset;
  }

  /** Seconds and microseconds of the record header, as microseconds since the epoch. */
  public long timestampMicros() {
    return seconds() * 1_000_000L + microseconds();
  }

  public int originalLength() {
    return BigEndian.i32(buffer, header);
  }

  /** How many frame bytes the capture kept: the frame is {@code buffer()[frameOffset() ..]}. */
  public int includedLength() {
    return BigEndian.i32(buffer, header + 4);
  }

  /** Bytes the record takes in the file: header, frame and padding. */
  public int recordLength() {
    return BigEndian.i32(buffer, header + 8);
  }

  public int cumulativeDrops() {
    return BigEndian.i32(buffer, header + 12);
  }

  /** 4 (Ethernet); files of datalink 0 report 4 too, as their frames are Ethernet frames. */
  public int datalinkType() {
    return datalinkType;
  }

  /** The reader's buffer: read, never write, and only during the call. */
  public byte[] buffer() {
    return buffer;
  }

  /** Index of the frame's first byte in {@link #buffer()}. */
  public int frameOffset() {
    return header + SnoopWriter.RECORD_HEADER_LENGTH;
  }

  private long seconds() {
    return BigEndian.u32(buffer, header + 16);
  }

  private int microseconds() {
    return BigEndian.i32(buffer, header + 20);
  }

  /** A copy of the record that outlives the call. */
  public SnoopRecord toRecord() {
    int includedLength = includedLength();
    byte[] frame = new byte[includedLength];
    System.arraycopy(buffer, frameOffset(), frame, 0, includedLength);
    return SnoopRecord.of(
        file,
        recordOffset,
        seconds(),
        microseconds(),
        originalLength(),
        cumulativeDrops(),
        datalinkType,
        frame);
  }
}
