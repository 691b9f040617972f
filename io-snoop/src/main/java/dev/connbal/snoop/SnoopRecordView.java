package dev.connbal.snoop;

/**
 * One good record as the reader sees it, whatever the capture's format: its fields, and the frame
 * bytes still in the reader's buffer. A view is valid only during the call that receives it; the
 * reader reuses it for the next record, so a parser reads what it needs in place ({@link #buffer()}
 * from {@link #frameOffset()}, {@link #includedLength()} bytes) and copies only what it keeps
 * ({@link #toRecord()}). Reading in place is what lets a {@link SnoopRecordParser} decode a capture
 * without one allocation or pipeline element per packet.
 */
public final class SnoopRecordView {
  private final String file;
  private long recordOffset;
  private int linkType;
  private byte[] buffer;
  private int frameOffset;
  private int includedLength;
  private int originalLength;
  private int recordLength;
  private int cumulativeDrops;
  private long seconds;
  private int microseconds;

  SnoopRecordView(String file) {
    this.file = file;
  }

  /** Points the view at a record whose frame is {@code buffer[frameOffset ..]}. */
  void set(
      long recordOffset,
      int recordLength,
      int linkType,
      long seconds,
      int microseconds,
      int originalLength,
      int cumulativeDrops,
      byte[] buffer,
      int frameOffset,
      int includedLength) {
    this.recordOffset = recordOffset;
    this.recordLength = recordLength;
    this.linkType = linkType;
    this.seconds = seconds;
    this.microseconds = microseconds;
    this.originalLength = originalLength;
    this.cumulativeDrops = cumulativeDrops;
    this.buffer = buffer;
    this.frameOffset = frameOffset;
    this.includedLength = includedLength;
  }

  /** The file (as a Beam resource id string) the record was read from. */
  public String file() {
    return file;
  }

  /**
   * Offset of the record (snoop or pcap record header, pcapng block) in the file; uncompressed
   * offset for compressed files.
   */
  public long recordOffset() {
    return recordOffset;
  }

  /**
   * Time of the record as microseconds since the epoch: what the record carries, kept to the
   * microsecond (finer resolutions are truncated; a pcapng Simple Packet Block takes the time of
   * the packet before it).
   */
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

  /** Bytes the record takes in the file: header (or block), frame, padding and options. */
  public int recordLength() {
    return recordLength;
  }

  /** Snoop's cumulative drops, or the drop count of a pcapng obsolete Packet Block; else 0. */
  public int cumulativeDrops() {
    return cumulativeDrops;
  }

  /**
   * The record's link type in the registry's numbering ({@link LinkTypes}): the file's for snoop
   * and pcap, the interface's for pcapng.
   */
  public int linkType() {
    return linkType;
  }

  /**
   * The link type in snoop's numbering: 4 for Ethernet (whatever the capture's format), 9 for other
   * links. Kept for decoders written for snoop; {@link #linkType()} tells the links apart.
   */
  public int datalinkType() {
    return LinkTypes.toSnoopDatalink(linkType);
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
    return SnoopRecord.ofLinkType(
        file,
        recordOffset,
        seconds,
        microseconds,
        originalLength,
        cumulativeDrops,
        linkType,
        frame);
  }
}
