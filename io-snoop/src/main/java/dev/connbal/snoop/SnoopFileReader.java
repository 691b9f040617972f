package dev.connbal.snoop;

import java.io.Closeable;
import java.io.IOException;
import java.util.Arrays;
import java.util.TreeSet;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.transforms.splittabledofn.RestrictionTracker;

/**
 * Reads the records of one snoop file, or of one byte range of it, and reports what it cannot
 * read. The heart of {@link SnoopIO}; free of Beam's runner machinery so tests drive it directly.
 *
 * <h2>The sequential path</h2>
 *
 * Reading a file from its first record at offset 16 to its end cuts it into <em>items</em>, each
 * starting where the previous one ended; the item starts form the file's <em>path</em>:
 *
 * <ul>
 *   <li>a record: its header passes {@link RecordHeaderRules} and the data holds its record
 *       length; the next item starts after it;
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
 * always add up to the data size minus 16. The next item depends only on the bytes at and after
 * the current start, so whoever reads from a point of the path reads the same items from there.
 *
 * <h2>Splitting: where a range hands over to the next</h2>
 *
 * A range {@code [from, to)} reads the items whose starts lie in {@code [H(from), H(to))}, where
 * {@code H(16-or-less) = 16}, {@code H(to) = end} for the last range, and otherwise {@code H(x)} is
 * the <em>handoff boundary</em> computed by {@link #handoffBoundary} from the bytes at and after
 * {@code x} alone. Both neighbours compute the same {@code H(to)}, so nothing is read twice or
 * skipped, provided {@code H(x)} lies on the path. Resynchronising to "the first proven position
 * at or after x" does not guarantee that: frame bytes can hold valid-looking headers, and a whole
 * snoop file carried inside packets forms a chain of valid headers that runs into the real chain
 * where the packet ends. So H is computed by <em>chain convergence</em>:
 *
 * <ol>
 *   <li>Candidates are every position in {@code [x, x + maxRecordLength)} whose header passes the
 *       rules, plus the first proven position at or after {@code x}. The path has a point among
 *       them: a record is never longer than {@code maxRecordLength}, and if {@code x} lies in a
 *       corrupt region, that region ends at the first proven position at or after {@code x}.
 *   <li>From every candidate a chain is followed with exactly the step of the sequential path
 *       (record length, or the first proven position after a failing header). Chains never die;
 *       two chains that reach the same position are one chain from there on.
 *   <li>Once every candidate has been considered and a single chain is left, the path's chain is
 *       that chain, so every position after the <em>last event</em> (a candidate joining a chain,
 *       or two chains meeting) is on the path. {@code H(x)} is the position of that last event.
 * </ol>
 *
 * In ordinary captures {@code H(x)} is the last record starting before {@code x +
 * maxRecordLength}; the range before reads that far past its end (at most one maximum record
 * length, ~64 KiB) to reach it. If candidate chains did not converge within {@value
 * #MAX_CONVERGENCE_DISTANCE} bytes the read fails with an exception naming the file and offset,
 * as it does if a range ever ends anywhere but exactly on {@code H(to)}, or if {@code H(from) >
 * H(to)}: a split can fail loudly, never lose or duplicate a record silently.
 *
 * <p>Dynamic splitting is refused ({@link RecordOffsetTracker}): every range boundary is an
 * initial split, so each range's end, and the handoff computed from it, is fixed before reading.
 * The tracker claims each record (item) start in {@code [from, to)}; items starting in {@code [to,
 * H(to))} are emitted under the range's last claim.
 */
final class SnoopFileReader implements Closeable {
  static final int FILE_HEADER_LENGTH = SnoopWriter.FILE_HEADER_LENGTH;
  static final int RECORD_HEADER_LENGTH = SnoopWriter.RECORD_HEADER_LENGTH;
  static final int CHAIN_PROOF_LENGTH = 8;
  static final long MAX_CONVERGENCE_DISTANCE = 64L << 20;
  private static final int MIN_BUFFER = 1 << 20;
  private static final int SCAN_CHUNK = 64 << 10;
  private static final byte[] MAGIC = SnoopWriter.MAGIC;

  /** Receives what a read produces. */
  interface Sink {
    void record(SnoopRecord record, int recordLength);

    void error(SnoopReadError error);

    /** A range start or end was located by resynchronisation at {@code boundary}. */
    default void resynced(long offset, long boundary) {}
  }

  private final String file;
  private final SnoopInput in;
  private final int maxIncludedLength;
  private RecordHeaderRules rules;
  private int datalink;
  /** Whether the item {@link #readItem} reported last was a truncated record. */
  private boolean lastItemTruncated;

  private SnoopFileReader(String file, SnoopInput in, int maxIncludedLength) {
    this.file = file;
    this.in = in;
    this.maxIncludedLength = maxIncludedLength;
  }

  /**
   * A reader over {@code channel} (positioned at offset 0). {@code maxIncludedLength} is the
   * largest frame a header may declare (tests use small values to make files span many maximum
   * record lengths); {@code endAtChannelError} treats read errors as the end of the data, as for
   * truncated compressed files.
   */
  static SnoopFileReader open(
      String file,
      java.nio.channels.ReadableByteChannel channel,
      int maxIncludedLength,
      boolean endAtChannelError) {
    int maxRecord = RECORD_HEADER_LENGTH + maxIncludedLength + RecordHeaderRules.MAX_PADDING;
    long needed = (long) (CHAIN_PROOF_LENGTH + 2) * maxRecord + RECORD_HEADER_LENGTH;
    int capacity = (int) Math.max(MIN_BUFFER, needed);
    return new SnoopFileReader(
        file, new SnoopInput(channel, capacity, endAtChannelError), maxIncludedLength);
  }

  /**
   * Reads a whole file front to back: the unsplit restriction of a compressed or non-seekable
   * file. Claims offset 0 once for everything.
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
    try {
      SnoopReadError headerError = readFileHeader(fileSize);
      if (headerError != null) {
        // The range holding the file header reports it; the others have nothing to read.
        if (from == 0 && tracker.tryClaim(0L)) {
          sink.error(headerError);
        }
        tracker.tryClaim(to);
        return;
      }
      long start = FILE_HEADER_LENGTH;
      if (from > FILE_HEADER_LENGTH) {
        start = handoffBoundary(from);
        sink.resynced(from, start);
      }
      long stop = Long.MAX_VALUE;
      if (to < fileSize) {
        stop = handoffBoundary(to);
        sink.resynced(to, stop);
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
        long end = Math.max(to, fileSize);
        sink.error(unreadable(pos, Math.max(0, end - pos), e));
      }
    }
    tracker.tryClaim(to);
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
    long version = RecordHeaderRules.u32(b, i + 8);
    if (version != SnoopWriter.VERSION) {
      return SnoopReadError.of(
          file,
          8,
          SnoopReadError.Kind.UNSUPPORTED_VERSION,
          lost,
          name + ": unsupported snoop version " + version + ", only version 2 is supported");
    }
    long link = RecordHeaderRules.u32(b, i + 12);
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
              maxIncludedLength, RecordHeaderRules.u32(b, i + 16 + 16));
    } else {
      rules = untimed;
    }
    return null;
  }

  /** Reads the item at {@code pos} (which has data), reports it, and returns where it ends. */
  long readItem(long pos, Sink sink) throws IOException {
    lastItemTruncated = false;
    int avail = in.ensure(pos, RECORD_HEADER_LENGTH);
    if (avail < RECORD_HEADER_LENGTH) {
      lastItemTruncated = true;
      sink.error(
          SnoopReadError.of(
              file,
              pos,
              SnoopReadError.Kind.TRUNCATED_RECORD,
              avail,
              oneLine(file)
                  + ": truncated record at offset "
                  + pos
                  + ": only "
                  + avail
                  + " bytes of a 24-byte record header before the end of the data"
                  + abruptNote()));
      return pos + avail;
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
    int recordLength = (int) RecordHeaderRules.u32(b, i + 8);
    int got = in.ensure(pos, recordLength);
    if (got < recordLength) {
      lastItemTruncated = true;
      sink.error(
          SnoopReadError.of(
              file,
              pos,
              SnoopReadError.Kind.TRUNCATED_RECORD,
              got,
              oneLine(file)
                  + ": truncated record at offset "
                  + pos
                  + ": record length "
                  + recordLength
                  + " but only "
                  + got
                  + " bytes before the end of the data"
                  + abruptNote()));
      return pos + got;
    }
    b = in.array();
    i = in.index(pos);
    int included = (int) RecordHeaderRules.u32(b, i + 4);
    byte[] frame = Arrays.copyOfRange(b, i + RECORD_HEADER_LENGTH, i + RECORD_HEADER_LENGTH + included);
    SnoopRecord record =
        SnoopRecord.of(
            file,
            pos,
            RecordHeaderRules.u32(b, i + 16),
            (int) RecordHeaderRules.u32(b, i + 20),
            (int) RecordHeaderRules.u32(b, i),
            (int) RecordHeaderRules.u32(b, i + 12),
            datalink,
            frame);
    sink.record(record, recordLength);
    return pos + recordLength;
  }

  /** Where the path goes after the item at {@code pos}, without reporting anything. */
  private long nextOnPath(long pos) throws IOException {
    int avail = in.ensure(pos, RECORD_HEADER_LENGTH);
    if (avail < RECORD_HEADER_LENGTH) {
      return pos + avail;
    }
    byte[] b = in.array();
    int i = in.index(pos);
    if (!rules.isValid(b, i)) {
      return firstProvenAtOrAfter(pos + 1);
    }
    int recordLength = (int) RecordHeaderRules.u32(b, i + 8);
    return pos + in.ensure(pos, recordLength);
  }

  /** The first proven position at or after {@code from}, or the end of the data. */
  long firstProvenAtOrAfter(long from) throws IOException {
    long p = from;
    while (true) {
      int avail = in.ensure(p, SCAN_CHUNK);
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
      q += RecordHeaderRules.u32(b, i + 8);
    }
    return true;
  }

  /**
   * The handoff boundary {@code H(x)} of the class comment: a point of the path at or after
   * {@code x}, computed from the bytes at and after {@code x} only.
   */
  long handoffBoundary(long x) throws IOException {
    long windowEnd = x + rules.maxRecordLength();
    TreeSet<Long> chains = new TreeSet<>();
    long firstProven = firstProvenAtOrAfter(x);
    chains.add(firstProven);
    long lastEvent = firstProven;
    long scan = x;
    while (true) {
      long front = chains.first();
      long seedLimit = Math.min(front, windowEnd);
      long seed = nextValidHeader(scan, seedLimit);
      if (seed >= 0) {
        chains.add(seed);
        lastEvent = Math.max(lastEvent, seed);
        scan = seed + 1;
        continue;
      }
      scan = Math.max(scan, seedLimit);
      if (scan == front && front < windowEnd) {
        if (validAt(front)) {
          lastEvent = Math.max(lastEvent, front); // a candidate joins the chain at front
        }
        scan = front + 1;
      }
      boolean frontAtEnd = in.ensure(front, 1) == 0;
      if (chains.size() == 1 && (scan >= windowEnd || frontAtEnd)) {
        return lastEvent;
      }
      if (front - windowEnd > MAX_CONVERGENCE_DISTANCE) {
        throw new IllegalStateException(
            oneLine(file)
                + ": cannot resynchronise at offset "
                + x
                + ": candidate record chains do not converge within "
                + MAX_CONVERGENCE_DISTANCE
                + " bytes");
      }
      chains.pollFirst();
      long next = nextOnPath(front);
      if (!chains.add(next)) {
        lastEvent = Math.max(lastEvent, next); // two chains meet
      }
    }
  }

  /** First position in {@code [from, limit)} holding a valid header, or -1. */
  private long nextValidHeader(long from, long limit) throws IOException {
    long p = from;
    while (p < limit) {
      int span = (int) Math.min(SCAN_CHUNK, limit - p + RECORD_HEADER_LENGTH - 1);
      int avail = in.ensure(p, span);
      if (avail < RECORD_HEADER_LENGTH) {
        return -1;
      }
      byte[] b = in.array();
      int base = in.index(p);
      int last = (int) Math.min(avail - RECORD_HEADER_LENGTH, limit - 1 - p);
      for (int k = 0; k <= last; k++) {
        if (rules.isValid(b, base + k)) {
          return p + k;
        }
      }
      p += last + 1;
    }
    return -1;
  }

  private boolean validAt(long pos) throws IOException {
    return in.ensure(pos, RECORD_HEADER_LENGTH) == RECORD_HEADER_LENGTH
        && rules.isValid(in.array(), in.index(pos));
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
