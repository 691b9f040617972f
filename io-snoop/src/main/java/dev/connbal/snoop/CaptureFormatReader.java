package dev.connbal.snoop;

import java.io.IOException;

/**
 * What one capture format knows: its file header, its items (records, blocks, corrupt regions), and
 * where a byte range of it starts and stops. {@link CaptureFileReader} drives it and owns the
 * claims, the file-level errors and the end of the data.
 */
abstract class CaptureFormatReader {
  static final int MIN_BUFFER = 1 << 20;
  private static final int SCAN_CHUNK = 64 << 10;

  final String file;
  final SnoopInput in;

  /** The one view every record is shown through: reading allocates nothing per record. */
  final SnoopRecordView view;

  /** The largest frame a record may declare: caps each format's own limit (tests lower it). */
  final int maxIncludedLength;

  /** Whether the item {@link #readItem} reported last was a truncated record. */
  boolean lastItemTruncated;

  /**
   * What the file header declares that the read must report once, though the file can be read (a
   * link type connbal does not decode), or null.
   */
  SnoopReadError headerNotice;

  CaptureFormatReader(String file, SnoopInput in, int maxIncludedLength) {
    this.file = file;
    this.in = in;
    this.view = new SnoopRecordView(file);
    this.maxIncludedLength = maxIncludedLength;
  }

  /**
   * Checks the file header (its magic is the format's) and learns what reading needs; returns the
   * file-level error, or null when the file can be read.
   */
  abstract SnoopReadError readFileHeader(long storedSize) throws IOException;

  /** Offset of the first item: the end of the file header. */
  abstract long dataStart();

  /** Reads the item at {@code pos} (which has data), reports it, and returns where it ends. */
  abstract long readItem(long pos, CaptureFileReader.Sink sink) throws IOException;

  /**
   * Where the range starting at {@code x > dataStart()} starts reading, {@code H(x)}, with the
   * reader's state as the sequential read has it there.
   */
  abstract long rangeStart(long x) throws IOException;

  /**
   * The state {@link #rangeStart} learns besides the position, which a range that is given its
   * start ({@link CaptureRange}) restores instead of walking; null for formats whose items mean the
   * same wherever they stand (snoop, pcap).
   */
  byte[] walkState() {
    return null;
  }

  /** Takes back a {@link #walkState()}, as {@link #rangeStart} would have left it. */
  void restoreWalkState(byte[] state) {
    throw new IllegalStateException(oneLine(file) + ": this format has no walk state to restore");
  }

  /**
   * Where the range ending at {@code x} (not the last) stops: it reads the items starting before
   * the returned position, and must end on it exactly when {@link #stopsExactly()}.
   */
  abstract long rangeStop(long x) throws IOException;

  /** Whether a range ends exactly on {@link #rangeStop} (else on the first item at or after it). */
  abstract boolean stopsExactly();

  /**
   * Grows the input's buffer to what this format's proofs need (a chain of {@code maxRecordLength}
   * records), but no more than the range can use; returns the scan chunk for {@link RecordChain}.
   */
  int reserveBuffer(long needed, long bytesToRead) {
    long wanted = Math.min(MIN_BUFFER, bytesToRead + needed);
    in.ensureCapacity((int) Math.max(needed, wanted));
    return Math.min(SCAN_CHUNK, in.capacity());
  }

  /**
   * Reports the last {@code present} bytes of the data, from {@code pos}, as a record the data ends
   * inside of ({@code what} says how far it got), and returns where the data ends.
   */
  long truncatedRecord(long pos, int present, String what, CaptureFileReader.Sink sink) {
    lastItemTruncated = true;
    sink.error(
        SnoopReadError.of(
            file,
            pos,
            SnoopReadError.Kind.TRUNCATED_RECORD,
            present,
            oneLine(file)
                + ": truncated record at offset "
                + pos
                + ": "
                + what
                + " before the end of the data"
                + abruptNote()));
    return pos + present;
  }

  /**
   * Reports the bytes from {@code pos} to {@code next} as a corrupt region ({@code what} names the
   * bad header or block and {@code why} says what is wrong with it) and returns {@code next}.
   */
  long corruptRegion(long pos, long next, String what, String why, CaptureFileReader.Sink sink)
      throws IOException {
    sink.error(
        SnoopReadError.of(
            file,
            pos,
            SnoopReadError.Kind.CORRUPT_REGION,
            next - pos,
            oneLine(file)
                + ": corrupt "
                + what
                + " at offset "
                + pos
                + " ("
                + why
                + "); skipped "
                + (next - pos)
                + " bytes to "
                + (in.ensure(next, 1) > 0
                    ? "the next record boundary at offset " + next
                    : "the end of the data")));
    return next;
  }

  /**
   * A file-level error of kind {@code kind} at {@code offset}: the whole file ({@code storedSize},
   * or the {@code present} bytes read if more) is lost; {@code what} follows the file's name.
   */
  SnoopReadError fileError(
      SnoopReadError.Kind kind, long offset, long storedSize, int present, String what) {
    return SnoopReadError.of(
        file, offset, kind, Math.max(storedSize, present), oneLine(file) + ": " + what);
  }

  /** The error of a file whose first {@code present} bytes are short of its format's header. */
  SnoopReadError truncatedFileHeader(
      long storedSize, int present, int headerLength, String format) {
    return fileError(
        SnoopReadError.Kind.TRUNCATED_FILE_HEADER,
        0,
        storedSize,
        present,
        "truncated file header: "
            + present
            + " bytes, a "
            + format
            + " file header has "
            + headerLength);
  }

  /**
   * The report of link type {@code linkType}, declared at {@code offset} by {@code declarer} (the
   * file header, an interface), when connbal does not decode it; null when it does.
   */
  SnoopReadError unsupportedLinkType(long offset, int linkType, String declarer) {
    if (LinkTypes.isDecoded(linkType)) {
      return null;
    }
    return SnoopReadError.of(
        file,
        offset,
        SnoopReadError.Kind.UNSUPPORTED_LINK_TYPE,
        0,
        oneLine(file)
            + ": unsupported link type "
            + linkType
            + " ("
            + declarer
            + "); connbal decodes "
            + LinkTypes.DECODED
            + ", and counts the frames of other link types as skipped");
  }

  String abruptNote() {
    return in.endedAbruptly() ? " (the compressed data ends abruptly)" : "";
  }

  static String oneLine(String s) {
    return s.replace('\n', ' ').replace('\r', ' ');
  }
}
