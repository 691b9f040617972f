package dev.connbal.snoop;

import java.io.Closeable;
import java.io.IOException;
import java.util.Arrays;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.transforms.splittabledofn.RestrictionTracker;

/**
 * Reads the records of one snoop file, or of one byte range of it, and reports what it cannot read.
 * The heart of {@link SnoopIO}; free of Beam's runner machinery so tests drive it directly.
 *
 * <h2>The sequential path</h2>
 *
 * Reading a file from its first record at offset 16 to its end cuts it into <em>items</em>, each
 * starting where the previous one ended; the item starts form the file's <em>path</em>:
 *
 * <ul>
 *   <li>a record: its header passes {@link RecordHeaderRules} and the data holds its record length;
 *       the next item starts after it;
 *   <li>a corrupt region: the header at its start fails the rules; it runs to the first
 *       <em>proven</em> position after it (or to the end of the data) and is reported as a
 *       CORRUPT_REGION with its byte count. A position is proven when its header and the {@value
 *       #CHAIN_PROOF_LENGTH} headers that follow it by record length all pass the rules, or when
 *       that chain reaches the end of the data first (exactly, or inside a final truncated record);
 *   <li>a truncated record: fewer than 24 bytes of header, or fewer than its record length, are
 *       left; reported as TRUNCATED_RECORD, and it ends the data.
 * </ul>
 *
 * Items cover {@code [16, end)} without gap or overlap, so good record bytes plus reported bytes
 * always add up to the data size minus 16. The next item depends only on the bytes at and after the
 * current start, so whoever reads from a point of the path reads the same items from there.
 *
 * <h2>Splitting: where a range hands over to the next</h2>
 *
 * A range {@code [from, to)} reads the items whose starts lie in {@code [H(from), H(to))}, where
 * {@code H(x) = 16} for {@code x <= 16}, {@code H(to) = end} for the last range, and otherwise
 * {@code H(x)} is the <em>handoff boundary</em>: the first <em>certified</em> position at or after
 * {@code x}, or the end of the data. With {@code W} the maximum record length, a position {@code p}
 * is certified when
 *
 * <ol>
 *   <li>{@code p} is proven (see above);
 *   <li>no position {@code z} in {@code [p - W, p)} holds a valid header whose record would end
 *       after {@code p} ({@code z + recordLength > p}): nothing nearby "jumps over" {@code p};
 *   <li>some position in {@code [p - W, p)} holds an invalid header.
 * </ol>
 *
 * <p><b>Why a certified position lies on the path.</b> Let {@code q} be the last path point before
 * {@code p}. If {@code q >= p - W}, the path's step from {@code q} (a record end, or the first
 * proven position after a corrupt header) cannot jump over {@code p} by (2) and (1), nor can any
 * later step from a position before {@code p}, so the path reaches {@code p} exactly. If {@code q <
 * p - W}, the item at {@code q} is longer than any record, so it is a corrupt region ending at the
 * first proven position after {@code q}; an invalid position {@code z > q} of (3) has no proven
 * position in {@code (q, z]}, and since {@code p} is proven, that region ends at {@code p} or
 * before; by (2) nothing between it and {@code p} jumps over {@code p} either.
 *
 * <p><b>Why it works against look-alike headers.</b> Frame bytes can hold valid headers, and a
 * whole snoop file carried inside packets forms a chain of them that may run into the real chain
 * where the packet ends; such positions are proven. But a position strictly inside a record is
 * never certified: that record's own header lies less than {@code W} before it and jumps over it.
 *
 * <p><b>Why ranges neither overlap nor leave gaps.</b> Certification is a property of a position
 * and the bytes around it, not of where a search started, so {@code H} is monotonic and both
 * neighbours compute the same {@code H(to)}; the range before {@code to} reads on past {@code to}
 * (its last items are emitted under its last claim) until it reaches {@code H(to)} exactly. In
 * ordinary captures {@code H(to)} is simply the first record starting at or after {@code to}. A
 * range that ever ends anywhere but exactly on {@code H(to)}, or finds {@code H(from) > H(to)},
 * throws an exception naming the file and offsets: splitting can fail loudly, but it never loses or
 * duplicates a record silently.
 *
 * <p>Dynamic splitting is refused ({@link RecordOffsetTracker}): every range boundary is an initial
 * split, so each range's end, and the handoff computed from it, is fixed before reading. The
 * tracker claims each record (item) start in {@code [from, to)}; items starting in {@code [to,
 * H(to))} are emitted under the range's last claim.
 */
final class SnoopFileReader implements Closeable {
  static final int FILE_HEADER_LENGTH = SnoopWriter.FILE_HEADER_LENGTH;
  static final int RECORD_HEADER_LENGTH = SnoopWriter.RECORD_HEADER_LENGTH;
  static final int CHAIN_PROOF_LENGTH = 8;
  private static final int MIN_BUFFER = 1 << 20;
  private static final int SCAN_CHUNK = 64 << 10;
  private static final byte[] MAGIC = SnoopWriter.MAGIC;

  /** Receives what a read produces. */
  interface Sink {
    /** A good record; the view is valid only during the call (see {@link SnoopRecordView}). */
    void record(SnoopRecordView record);

    void error(SnoopReadError error);

    /** The range starting at {@code offset} was resynchronised to {@code boundary}. */
    default void resynced(long offset, long boundary) {}

    /**
     * Everything the range holds was reported. Called once, while the range still holds a claim
     * (runners refuse output after the reader gives up the rest of its range): the last moment a
     * sink may output what it aggregated.
     */
    default void end() {}
  }

  private final String file;
  private final SnoopInput in;

  /** The one view every record is shown through: reading allocates nothing per record. */
  private final SnoopRecordView view;

  private final int maxIncludedLength;

  /** How many bytes a scan for valid headers asks the input for at a time. */
  private final int scanChunk;

  private RecordHeaderRules rules;
  private int datalink;

  /** Whether the item {@link #readItem} reported last was a truncated record. */
  private boolean lastItemTruncated;

  private SnoopFileReader(String file, SnoopInput in, int maxIncludedLength) {
    this.file = file;
    this.in = in;
    this.view = new SnoopRecordView(file);
    this.scanChunk = Math.min(SCAN_CHUNK, in.capacity());
    this.maxIncludedLength = maxIncludedLength;
  }

  /**
   * A reader over {@code channel} (positioned at offset 0). {@code maxIncludedLength} is the
   * largest frame a header may declare (tests use small values to make files span many maximum
   * record lengths); {@code endAtChannelError} treats read errors as the end of the data, as for
   * truncated compressed files; {@code bytesToRead} (the range length, or {@code Long.MAX_VALUE})
   * keeps the buffer of a small range from taking the full 1 MiB.
   */
  static SnoopFileReader open(
      String file,
      java.nio.channels.ReadableByteChannel channel,
      int maxIncludedLength,
      boolean endAtChannelError,
      long bytesToRead) {
    int maxRecord = RECORD_HEADER_LENGTH + maxIncludedLength + RecordHeaderRules.MAX_PADDING;
    // A proof reaches CHAIN_PROOF_LENGTH + 1 records ahead of a candidate.
    long needed = (long) (CHAIN_PROOF_LENGTH + 2) * maxRecord + RECORD_HEADER_LENGTH;
    long wanted = Math.min(MIN_BUFFER, bytesToRead + needed);
    int capacity = (int) Math.max(needed, wanted);
    return new SnoopFileReader(
        file, new SnoopInput(channel, capacity, endAtChannelError), maxIncludedLength);
  }

  /**
   * Reads a whole file front to back: the unsplit restriction of a compressed or non-seekable file.
   * Claims offset 0 once for everything.
   */
  void readWhole(RestrictionTracker<OffsetRange, Long> tracker, long storedSize, Sink sink) {
    long to = tracker.currentRestriction().getTo();
    if (!tracker.tryClaim(tracker.currentRestriction().getFrom())) {
      return;
    }
    long pos = FILE_HEADER_LENGTH;
    try {
      SnoopReadError headerError = readFileHeader(storedSize);
      if (headerError != null) {
        sink.error(headerError);
      } else {
        boolean lastTruncated = false;
        while (in.ensure(pos, 1) > 0) {
          long next = readItem(pos, sink);
          lastTruncated = lastItemTruncated;
          pos = next;
        }
        if (in.endedAbruptly() && !lastTruncated) {
          sink.error(
              SnoopReadError.of(
                  file,
                  pos,
                  SnoopReadError.Kind.TRUNCATED_RECORD,
                  0,
                  oneLine(file)
                      + ": compressed data ends abruptly at uncompressed offset "
                      + pos
                      + "; the records up to there are kept, any after it are lost"));
        }
      }
    } catch (IOException e) {
      sink.error(unreadable(pos, Math.max(0, storedSize - pos), e));
    }
    sink.end();
    tracker.tryClaim(to);
  }

  /**
   * Reads the items the tracker's range owns (see the class comment). {@code fileSize} is the
   * stored size; the range ending at it is the last one and reads to the end of the data.
   */
  void readRange(RestrictionTracker<OffsetRange, Long> tracker, long fileSize, Sink sink) {
    OffsetRange range = tracker.currentRestriction();
    long from = range.getFrom();
    long to = range.getTo();
    boolean claimed = false;
    long pos = from;
    long stop = Long.MAX_VALUE;
    try {
      SnoopReadError headerError = readFileHeader(fileSize);
      if (headerError != null) {
        // The range holding the file header reports it; the others have nothing to read.
        if (tracker.tryClaim(from)) {
          if (from == 0) {
            sink.error(headerError);
          }
          sink.end();
        }
        tracker.tryClaim(to);
        return;
      }
      long start = boundary(from);
      if (from > FILE_HEADER_LENGTH) {
        sink.resynced(from, start);
      }
      if (to < fileSize) {
        stop = boundary(to);
      }
      if (start > stop) {
        throw new IllegalStateException(
            oneLine(file)
                + ": resynchronisation is not monotonic: range ["
                + from
                + ", "
                + to
                + ") starts at "
                + start
                + " but ends at "
                + stop);
      }
      pos = start;
      while (pos < stop && in.ensure(pos, 1) > 0) {
        long claim = pos < to ? pos : from;
        if (pos < to || !claimed) {
          if (!tracker.tryClaim(claim)) {
            return;
          }
          claimed = true;
        }
        pos = readItem(pos, sink);
      }
      if (stop != Long.MAX_VALUE && pos != stop) {
        throw new IllegalStateException(
            oneLine(file)
                + ": split mismatch: range ["
                + from
                + ", "
                + to
                + ") read up to offset "
                + pos
                + " but the next range starts at "
                + stop);
      }
    } catch (IOException e) {
      if (claimed || tracker.tryClaim(from)) {
        claimed = true;
        long end = stop == Long.MAX_VALUE ? Math.max(to, fileSize) : stop;
        sink.error(unreadable(pos, Math.max(0, end - pos), e));
      }
    }
    // A range with no item of its own (inside one long record) claims its start to end.
    if (claimed || tracker.tryClaim(from)) {
      sink.end();
    }
    tracker.tryClaim(to);
  }

  /** {@code H(x)}: 16 up to the first record, else the handoff boundary. */
  private long boundary(long x) throws IOException {
    return x <= FILE_HEADER_LENGTH ? FILE_HEADER_LENGTH : handoffBoundary(x);
  }

  /**
   * Checks the file header and reads the first record header for the time window of {@link
   * RecordHeaderRules}; returns the file-level error, or null when the file can be read.
   */
  SnoopReadError readFileHeader(long storedSize) throws IOException {
    int n = in.ensure(0, FILE_HEADER_LENGTH + RECORD_HEADER_LENGTH);
    byte[] b = in.array();
    int i = in.index(0);
    long lost = Math.max(storedSize, n);
    String name = oneLine(file);
    if (n == 0) {
      return SnoopReadError.of(
          file, 0, SnoopReadError.Kind.EMPTY_FILE, 0, name + ": empty file, not a snoop capture");
    }
    if (n < FILE_HEADER_LENGTH) {
      return SnoopReadError.of(
          file,
          0,
          SnoopReadError.Kind.TRUNCATED_FILE_HEADER,
          lost,
          name + ": truncated file header: " + n + " bytes, a snoop file header has 16");
    }
    if (!Arrays.equals(b, i, i + MAGIC.length, MAGIC, 0, MAGIC.length)) {
      return SnoopReadError.of(
          file,
          0,
          SnoopReadError.Kind.BAD_MAGIC,
          lost,
          name
              + ": not a snoop file: starts with \""
              + printable(b, i, MAGIC.length)
              + "\", expected \"snoop\\0\\0\\0\"");
    }
    long version = BigEndian.u32(b, i + 8);
    if (version != SnoopWriter.VERSION) {
      return SnoopReadError.of(
          file,
          8,
          SnoopReadError.Kind.UNSUPPORTED_VERSION,
          lost,
          name + ": unsupported snoop version " + version + ", only version 2 is supported");
    }
    long link = BigEndian.u32(b, i + 12);
    if (link != SnoopWriter.DATALINK_ETHERNET && link != 0) {
      return SnoopReadError.of(
          file,
          12,
          SnoopReadError.Kind.UNSUPPORTED_DATALINK,
          lost,
          name
              + ": unsupported datalink type "
              + link
              + ", only Ethernet (4, or 0 as some writers use) is supported");
    }
    // Type 0 (IEEE 802.3) frames are Ethernet frames; downstream decoders see one type.
    datalink = SnoopWriter.DATALINK_ETHERNET;
    RecordHeaderRules untimed = RecordHeaderRules.withoutTimeCheck(maxIncludedLength);
    if (n == FILE_HEADER_LENGTH + RECORD_HEADER_LENGTH && untimed.isValid(b, i + 16)) {
      rules =
          RecordHeaderRules.withFirstRecordSeconds(
              maxIncludedLength, BigEndian.u32(b, i + 16 + 16));
    } else {
      rules = untimed;
    }
    return null;
  }

  /**
   * Reports the last {@code present} bytes of the data, from {@code pos}, as a record the data ends
   * inside of ({@code what} says how far it got), and returns where the data ends.
   */
  private long truncatedRecord(long pos, int present, String what, Sink sink) {
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

  /** Reads the item at {@code pos} (which has data), reports it, and returns where it ends. */
  long readItem(long pos, Sink sink) throws IOException {
    lastItemTruncated = false;
    int avail = in.ensure(pos, RECORD_HEADER_LENGTH);
    if (avail < RECORD_HEADER_LENGTH) {
      return truncatedRecord(
          pos, avail, "only " + avail + " bytes of a 24-byte record header", sink);
    }
    byte[] b = in.array();
    int i = in.index(pos);
    if (!rules.isValid(b, i)) {
      String why = rules.whyInvalid(b, i);
      long next = firstProvenAtOrAfter(pos + 1);
      sink.error(
          SnoopReadError.of(
              file,
              pos,
              SnoopReadError.Kind.CORRUPT_REGION,
              next - pos,
              oneLine(file)
                  + ": corrupt record header at offset "
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
    int recordLength = (int) BigEndian.u32(b, i + 8);
    int got = in.ensure(pos, recordLength);
    if (got < recordLength) {
      return truncatedRecord(
          pos, got, "record length " + recordLength + " but only " + got + " bytes", sink);
    }
    view.set(pos, datalink, in.array(), in.index(pos));
    sink.record(view);
    return pos + recordLength;
  }

  /** The first proven position at or after {@code from}, or the end of the data. */
  long firstProvenAtOrAfter(long from) throws IOException {
    long p = from;
    while (true) {
      int avail = in.ensure(p, scanChunk);
      if (avail < RECORD_HEADER_LENGTH) {
        return p + avail;
      }
      byte[] b = in.array();
      int base = in.index(p);
      int last = avail - RECORD_HEADER_LENGTH;
      long resumeAt = -1;
      for (int k = 0; k <= last; k++) {
        if (rules.isValid(b, base + k)) {
          long candidate = p + k;
          if (isProven(candidate)) {
            return candidate;
          }
          // The proof may have moved the window: continue from a fresh one.
          resumeAt = candidate + 1;
          break;
        }
      }
      p = resumeAt >= 0 ? resumeAt : p + last + 1;
    }
  }

  /** Whether the valid header at {@code candidate} starts a proving chain (see class comment). */
  private boolean isProven(long candidate) throws IOException {
    long q = candidate;
    for (int hop = 0; hop <= CHAIN_PROOF_LENGTH; hop++) {
      int reach = (int) (q - candidate) + RECORD_HEADER_LENGTH;
      if (in.ensure(candidate, reach) < reach) {
        return true; // the data ends at q, inside the previous record or inside this header
      }
      byte[] b = in.array();
      int i = in.index(q);
      if (!rules.isValid(b, i)) {
        return false;
      }
      q += BigEndian.u32(b, i + 8);
    }
    return true;
  }

  /**
   * The handoff boundary {@code H(x)} of the class comment: the first certified position at or
   * after {@code x}, or the end of the data. Reads forward only, from {@code x - maxRecordLength}.
   */
  long handoffBoundary(long x) throws IOException {
    int window = rules.maxRecordLength();
    long reach = 0; // furthest end of a record whose valid header lies in the window before p
    long lastInvalid = -1; // last position in the window whose header is not valid
    long p = Math.max(FILE_HEADER_LENGTH, x - window);
    while (true) {
      int avail = in.ensure(p, scanChunk);
      if (avail == 0) {
        return p; // the end of the data
      }
      byte[] b = in.array();
      int base = in.index(p);
      int usable = Math.max(1, avail - RECORD_HEADER_LENGTH + 1);
      for (int k = 0; k < usable; k++, base++) {
        long pos = p + k;
        boolean valid = k + RECORD_HEADER_LENGTH <= avail && rules.isValid(b, base);
        if (pos >= x && valid && reach <= pos && lastInvalid >= pos - window) {
          long end = pos + BigEndian.u32(b, base + 8);
          if (isProven(pos)) {
            return pos;
          }
          // The proof may have moved the window: continue from a fresh one.
          reach = Math.max(reach, end);
          p = pos + 1;
          break;
        }
        if (valid) {
          reach = Math.max(reach, pos + BigEndian.u32(b, base + 8));
        } else {
          lastInvalid = pos;
        }
        if (k == usable - 1) {
          p = pos + 1;
        }
      }
    }
  }

  private SnoopReadError unreadable(long offset, long bytes, IOException e) {
    return SnoopReadError.of(
        file,
        offset,
        SnoopReadError.Kind.UNREADABLE,
        bytes,
        oneLine(file) + ": cannot read from offset " + offset + ": " + oneLine(String.valueOf(e)));
  }

  private String abruptNote() {
    return in.endedAbruptly() ? " (the compressed data ends abruptly)" : "";
  }

  static String oneLine(String s) {
    return s.replace('\n', ' ').replace('\r', ' ');
  }

  private static String printable(byte[] b, int from, int length) {
    StringBuilder sb = new StringBuilder();
    for (int k = from; k < from + length; k++) {
      int c = b[k] & 0xFF;
      if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
        sb.append((char) c);
      } else {
        sb.append(String.format("\\x%02x", c));
      }
    }
    return sb.toString();
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
