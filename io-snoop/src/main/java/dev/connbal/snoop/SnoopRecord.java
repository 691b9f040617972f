package dev.connbal.snoop;

import java.util.Arrays;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * One packet record of a capture (snoop, pcap or pcapng), with where it came from.
 *
 * <p>Immutable: the frame array is never exposed for writing by this class, and callers must not
 * modify the array they pass in or get back (it is shared to keep the per-packet path free of
 * copies). Encoded by {@link SnoopRecordCoder}.
 */
@DefaultCoder(SnoopRecordCoder.class)
public final class SnoopRecord {
  private final String file;
  private final long recordOffset;
  private final long seconds;
  private final int microseconds;
  private final int originalLength;
  private final int includedLength;
  private final int cumulativeDrops;
  private final int linkType;
  private final byte[] frame;

  private SnoopRecord(
      String file,
      long recordOffset,
      long seconds,
      int microseconds,
      int originalLength,
      int includedLength,
      int cumulativeDrops,
      int linkType,
      byte[] frame) {
    this.file = Objects.requireNonNull(file, "file");
    this.recordOffset = recordOffset;
    this.seconds = seconds;
    this.microseconds = microseconds;
    this.originalLength = originalLength;
    this.includedLength = includedLength;
    this.cumulativeDrops = cumulativeDrops;
    this.linkType = linkType;
    this.frame = Objects.requireNonNull(frame, "frame");
  }

  /** Largest seconds value a record holds: its time in microseconds fits a {@code long}. */
  public static final long MAX_SECONDS = Long.MAX_VALUE / 1_000_000L - 1;

  /**
   * Creates a record of a snoop file, whose datalink is snoop's 4 (Ethernet) or 0 (IEEE 802.3, read
   * as Ethernet); {@code seconds} is the unsigned 32-bit value of the record header.
   *
   * @throws IllegalArgumentException for another datalink (see {@link LinkTypes#fromSnoopDatalink})
   */
  public static SnoopRecord of(
      String file,
      long recordOffset,
      long seconds,
      int microseconds,
      int originalLength,
      int cumulativeDrops,
      int datalinkType,
      byte[] frame) {
    return ofLinkType(
        file,
        recordOffset,
        seconds,
        microseconds,
        originalLength,
        cumulativeDrops,
        LinkTypes.fromSnoopDatalink(datalinkType),
        frame);
  }

  /**
   * Creates a record of any capture format. {@code linkType} is in the registry's numbering ({@link
   * LinkTypes}); {@code seconds} counts from the epoch, at most {@link #MAX_SECONDS}.
   */
  public static SnoopRecord ofLinkType(
      String file,
      long recordOffset,
      long seconds,
      int microseconds,
      int originalLength,
      int cumulativeDrops,
      int linkType,
      byte[] frame) {
    if (recordOffset < 0) {
      throw new IllegalArgumentException("recordOffset must be >= 0, got " + recordOffset);
    }
    if (seconds < 0 || seconds > MAX_SECONDS) {
      throw new IllegalArgumentException("seconds must be in [0, " + MAX_SECONDS + "]: " + seconds);
    }
    if (microseconds < 0 || microseconds >= 1_000_000) {
      throw new IllegalArgumentException("microseconds must be in [0, 1000000): " + microseconds);
    }
    if (originalLength < frame.length) {
      throw new IllegalArgumentException(
          "originalLength " + originalLength + " < included length " + frame.length);
    }
    if (linkType < 0) {
      throw new IllegalArgumentException("linkType must be >= 0, got " + linkType);
    }
    return new SnoopRecord(
        file,
        recordOffset,
        seconds,
        microseconds,
        originalLength,
        frame.length,
        cumulativeDrops,
        linkType,
        frame);
  }

  /** The file (as a Beam resource id string) the record was read from. */
  public String file() {
    return file;
  }

  /** Byte offset of the record (header or pcapng block) within the (uncompressed) file. */
  public long recordOffset() {
    return recordOffset;
  }

  /** Seconds since the epoch. */
  public long seconds() {
    return seconds;
  }

  /** Microseconds within the second (finer resolutions truncated). */
  public int microseconds() {
    return microseconds;
  }

  /** Timestamp in microseconds since the epoch: the ordering key of SEMANTICS.md. */
  public long timestampMicros() {
    return seconds * 1_000_000L + microseconds;
  }

  /** Length of the frame on the wire. */
  public int originalLength() {
    return originalLength;
  }

  /** Number of frame bytes captured; equals {@code frame().length}. */
  public int includedLength() {
    return includedLength;
  }

  /** Snoop's cumulative drops, or the drop count of a pcapng obsolete Packet Block; else 0. */
  public int cumulativeDrops() {
    return cumulativeDrops;
  }

  /** The link type in the registry's numbering ({@link LinkTypes}; 1 = Ethernet). */
  public int linkType() {
    return linkType;
  }

  /** The link type in snoop's numbering: 4 for Ethernet, 9 for other links. */
  public int datalinkType() {
    return LinkTypes.toSnoopDatalink(linkType);
  }

  /** The captured frame bytes. Shared, not copied: do not modify. */
  public byte[] frame() {
    return frame;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof SnoopRecord r)) {
      return false;
    }
    return recordOffset == r.recordOffset
        && seconds == r.seconds
        && microseconds == r.microseconds
        && originalLength == r.originalLength
        && includedLength == r.includedLength
        && cumulativeDrops == r.cumulativeDrops
        && linkType == r.linkType
        && file.equals(r.file)
        && Arrays.equals(frame, r.frame);
  }

  @Override
  public int hashCode() {
    return Objects.hash(file, recordOffset, seconds, microseconds, Arrays.hashCode(frame));
  }

  @Override
  public String toString() {
    return "SnoopRecord{"
        + file
        + "@"
        + recordOffset
        + ", t="
        + seconds
        + "."
        + String.format("%06d", microseconds)
        + ", orig="
        + originalLength
        + ", incl="
        + includedLength
        + ", drops="
        + cumulativeDrops
        + ", linkType="
        + linkType
        + "}";
  }
}
