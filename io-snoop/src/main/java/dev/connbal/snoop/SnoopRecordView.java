package dev.connbal.snoop;

/**
 * One good record as the reader sees it: the header fields, and the frame bytes still in the
 * reader's buffer. A view is valid only during the call that receives it; the reader reuses it
 * for the next record, so a parser reads what it needs in place ({@link #buffer()} from {@link
 * #frameOffset()}, {@link #includedLength()} bytes) and copies only what it keeps ({@link
 * #toRecord()}). Reading in place is what lets a {@link SnoopRecordParser} decode a capture
 * without one allocation or pipeline element per packet.
 */
public final class SnoopRecordView {
  private final String file;
  private long recordOffset;
  private long seconds;
  private int microseconds;
  private int originalLength;
  private int includedLength;
  private int recordLength;
  private int cumulativeDrops;
  private int datalinkType;
  private byte[] buffer;
  private int frameOffset;

  SnoopRecordView(String file) {
    this.file = file;
  }

  /** Points the view at the record whose header starts at {@code buffer[headerIndex]}. */
  void set(long recordOffset, int datalinkType, byte[] buffer, int headerIndex) {
    this.recordOffset = recordOffset;
    this.datalinkType = datalinkType;
    this.buffer = buffer;
    this.originalLength = (int) RecordHeaderRules.u32(buffer, headerIndex);
    this.includedLength = (int) RecordHeaderRules.u32(buffer, headerIndex + 4);
    this.recordLength = (int) RecordHeaderRules.u32(buffer, headerIndex + 8);
    this.cumulativeDrops = (int) RecordHeaderRules.u32(buffer, headerIndex + 12);
    this.seconds = RecordHeaderRules.u32(buffer, headerIndex + 16);
    this.microseconds = (int) RecordHeaderRules.u32(buffer, headerIndex + 20);
    this.frameOffset = headerIndex + SnoopWriter.RECORD_HEADER_LENGTH;
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
    return seconds * 1_000_000L + microseconds;
  }

  public int originalLength() {
    return originalLength;
  }

  /** How many frame bytes the capture kept: the frame is {@code buffer()[frameOffset() ..]}. */
  public int includedLength() {
    return includedLength;
  }

  /** Bytes the record takes in the file: header, frame and padding. */
  public int recordLength() {
    return recordLength;
  }

  public int cumulativeDrops() {
    return cumulativeDrops;
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
    return frameOffset;
  }

  /** A copy of the record that outlives the call. */
  public SnoopRecord toRecord() {
    byte[] frame = new byte[includedLength];
    System.arraycopy(buffer, frameOffset, frame, 0, includedLength);
    return SnoopRecord.of(
        file,
        recordOffset,
        seconds,
        microseconds,
        originalLength,
        cumulativeDrops,
        datalinkType,
        frame);
  }
}
