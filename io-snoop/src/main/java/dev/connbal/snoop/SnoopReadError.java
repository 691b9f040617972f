package dev.connbal.snoop;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * Something {@link SnoopIO} could not read: a whole file (bad header, unreadable) or a region of
 * one (corrupt record headers or blocks, a truncated last record). Errors are data, emitted on
 * {@link SnoopReadResult#errors()}, never dropped. Encoded by {@link SnoopReadErrorCoder}.
 */
@AutoValue
@DefaultCoder(SnoopReadErrorCoder.class)
public abstract class SnoopReadError {
  /** What went wrong. */
  public enum Kind {
    /** The file has no bytes at all. */
    EMPTY_FILE(true),
    /** The file is shorter than its format's file header (snoop 16 bytes, pcap 24, pcapng's). */
    TRUNCATED_FILE_HEADER(true),
    /** The file starts with no known magic (snoop, pcap, pcapng), or pcapng without byte order. */
    BAD_MAGIC(true),
    /** The file header names a version connbal does not read (snoop 2, pcap 2.x, pcapng 1.x). */
    UNSUPPORTED_VERSION(true),
    /** A snoop file header names a datalink other than Ethernet (4, or 0 as some writers use). */
    UNSUPPORTED_DATALINK(true),
    /**
     * Bytes between two record boundaries that do not form valid records, or a pcapng block whose
     * lengths are sound but whose content cannot be used (a packet of an undefined interface).
     */
    CORRUPT_REGION(false),
    /** The last record (or record header) is cut off by the end of the data. */
    TRUNCATED_RECORD(false),
    /** The file (or a byte range of it) could not be opened or read. */
    UNREADABLE(true),
    /**
     * A pcap file, or a pcapng interface, of a link type connbal does not decode ({@link
     * LinkTypes#isDecoded}), reported once where the type is declared. Its records are read as
     * usual; the analysis counts their frames as skipped for their link type.
     */
    UNSUPPORTED_LINK_TYPE(false);

    private final boolean fileLevel;

    Kind(boolean fileLevel) {
      this.fileLevel = fileLevel;
    }

    /** Whether errors of this kind mean the file as a whole could not be read. */
    public boolean isFileLevel() {
      return fileLevel;
    }
  }

  /** The file, as a Beam resource id string. */
  public abstract String file();

  /** Byte offset (in the uncompressed data) where the problem starts. */
  public abstract long offset();

  public abstract Kind kind();

  /** Bytes skipped or lost because of this error. */
  public abstract long bytes();

  /** One line naming the file and what is wrong. */
  public abstract String message();

  /** True when the file as a whole could not be read. */
  public boolean isFileLevel() {
    return kind().isFileLevel();
  }

  public static SnoopReadError of(String file, long offset, Kind kind, long bytes, String message) {
    if (offset < 0 || bytes < 0) {
      throw new IllegalArgumentException(
          "offset and bytes must be >= 0, got " + offset + " and " + bytes);
    }
    if (message.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("message must be one line: " + message);
    }
    return new AutoValue_SnoopReadError(file, offset, kind, bytes, message);
  }
}
