package dev.connbal.snoop;

import java.util.Arrays;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * One packet record of a snoop (RFC 1761) capture, with where it came from.
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
  private final int datalinkType;
  private final byte[] frame;

  private SnoopRecord(
      String file,
      long recordOffset,
      long seconds,
      int microseconds,
      int originalLength,
      int includedLength,
      int cumulativeDrops,
      int datalinkType,
      byte[] frame) {
    this.file = Objects.requireNonNull(file, "file");
    this.recordOffset = recordOffset;
    this.seconds = seconds;
    this.microseconds = microseconds;
    this.originalLength = originalLength;
    this.includedLength = includedLength;
    this.cumulativeDrops = cumulativeDrops;
    this.datalinkType = datalinkType;
    this.frame = Objects.requireNonNull(frame, "frame");
  }

  /**
   * Creates a record. {@code includedLength} must equal {@code frame.length}; {@code seconds} is
   * the unsigned 32-bit value of the record header.
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
    if (recordOffset < 0) {
      throw new IllegalArgumentException("recordOffset must be >= 0, got " + recordOffset);
    }
    if (seconds < 0 || seconds > 0xFFFFFFFFL) {
      throw new IllegalArgumentException("seconds must fit an unsigned 32-bit value: " + seconds);
    }
    if (microseconds < 0 || microseconds >= 1_000_000) {
      throw new IllegalArgumentException("microseconds must be in [0, 1000000): " + microseconds);
    }
    if (originalLength < frame.length) {
      throw new IllegalArgumentException(
          "originalLength " + originalLength + " < included length " + frame.length);
    }
    return new SnoopRecord(
        file,
        recordOffset,
        seconds,
        microseconds,
        originalLength,
        frame.length,
        cumulativeDrops,
        datalinkType,
        frame);
  }

  /** The file (as a Beam resource id string) the record was read from. */
  public String file() {
    return file;
  }

  /** Byte offset of the record header within the (uncompressed) file. */
  public long recordOffset() {
    return recordOffset;
  }

  /** Seconds since the epoch, from the record header (unsigned 32-bit). */
  public long seconds() {
    return seconds;
  }

  /** Microseconds within the second, from the record header. */
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

  /** Cumulative drops counter from the record header. */
  public int cumulativeDrops() {
    return cumulativeDrops;
  }

  /** Datalink type from the file header (4 = Ethernet). */
  public int datalinkType() {
    return datalinkType;
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
        && datalinkType == r.datalinkType
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
        + ", dlt="
        + datalinkType
        + "}";
  }
}
