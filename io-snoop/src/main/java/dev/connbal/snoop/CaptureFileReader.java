package dev.connbal.snoop;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.transforms.splittabledofn.RestrictionTracker;

/**
 * Reads the records of one capture file, or of one byte range of it, and reports what it cannot
 * read. The heart of {@link SnoopIO}; free of Beam's runner machinery so tests drive it directly.
 * The format is recognised by the file's first bytes, never by its name: snoop ({@link
 * SnoopFileReader}), pcap ({@link PcapFileReader}) or pcapng ({@link PcapngFileReader}).
 *
 * <h2>The sequential path</h2>
 *
 * Reading a file from its first item to its end cuts it into <em>items</em>, each starting where
 * the previous one ended; the item starts form the file's <em>path</em>:
 *
 * <ul>
 *   <li>a record (pcapng: a block, packet or not): its header passes the format's rules and the
 *       data holds its length; the next item starts after it;
 *   <li>a corrupt region: the header at its start fails the rules; it runs to the first
 *       <em>proven</em> position after it (see {@link RecordChain}), or to the end of the data, and
 *       is reported as a CORRUPT_REGION with its byte count. A pcapng block whose lengths agree but
 *       whose content cannot be used (a packet of an undefined interface) is a corrupt region of
 *       exactly that block;
 *   <li>a truncated record: fewer bytes than its header or its length are left; reported as
 *       TRUNCATED_RECORD, and it ends the data.
 * </ul>
 *
 * Items cover the data after the file header without gap or overlap, so good record bytes, other
 * pcapng blocks ({@link Sink#metadata}) and reported bytes always add up to the data size minus the
 * file header (snoop 16 bytes, pcap 24, pcapng none: its first block is the first item).
 *
 * <h2>Splitting: where a range hands over to the next</h2>
 *
 * A range {@code [from, to)} reads the items whose starts lie in {@code [H(from), H(to))}, where
 * {@code H(x)} is the first item start for {@code x} within the file header, {@code H(to) = end}
 * for the last range, and otherwise depends on the format:
 *
 * <ul>
 *   <li>snoop and pcap: the first {@linkplain RecordChain certified} position at or after {@code
 *       x}, or the end of the data. Certified positions lie on the path (the proof is on {@link
 *       RecordChain}), also when packets carry whole captures; certification is a property of the
 *       bytes around a position, so both neighbours compute the same {@code H(to)}. The range
 *       before {@code to} reads on past {@code to} (its last items are emitted under its last
 *       claim) until it reaches {@code H(to)} exactly; one that ends anywhere else, or finds {@code
 *       H(from) > H(to)}, throws an exception naming the file and offsets: splitting can fail
 *       loudly, but it never loses or duplicates a record silently.
 *   <li>pcapng: the first path item starting at or after {@code x}. A block means nothing without
 *       its section's byte order and interfaces, and a Simple Packet Block takes the time of the
 *       packet before it, so a range learns the state the sequential read has at {@code H(from)} by
 *       walking the path itself from the file's start, reading block lengths and the few blocks
 *       that change the state (section headers, interface descriptions, the last packet's time),
 *       reporting nothing. The walk is the sequential read, so it reaches {@code H(from)} exactly
 *       and the ranges cut the path into consecutive pieces; a record belongs to the range where it
 *       starts. The splitting step walks a file once for all its ranges and gives each its start
 *       and state ({@link #withGivenStarts}, {@link CaptureRange}); a range without them walks.
 * </ul>
 *
 * <p>Dynamic splitting is refused ({@link RecordOffsetTracker}): every range boundary is an initial
 * split, so each range's end, and the handoff computed from it, is fixed before reading. The
 * tracker claims each item start in {@code [from, to)}; items starting in {@code [to, H(to))} are
 * emitted under the range's last claim.
 */
final class CaptureFileReader implements Closeable {
  /** Receives what a read produces. */
  interface Sink {
    /** A good record; the view is valid only during the call (see {@link SnoopRecordView}). */
    void record(SnoopRecordView record);

    void error(SnoopReadError error);

    /**
     * A pcapng block that holds no packet (section header, interface description, statistics,
     * blocks connbal does not use), read and skipped.
     */
    default void metadata(long offset, long bytes) {}

    /** The range starting at {@code offset} was resynchronised to {@code boundary}. */
    default void resynced(long offset, long boundary) {}

    /**
     * Everything the range holds was reported. Called once, while the range still holds a claim
     * (runners refuse output after the reader gives up the rest of its range): the last moment a
     * sink may output what it aggregated.
     */
    default void end() {}
  }

  /** The sink of a pcapng walk to a range's start: what it reads belongs to earlier ranges. */
  static final Sink MUTED =
      new Sink() {
        @Override
        public void record(SnoopRecordView record) {}

        @Override
        public void error(SnoopReadError error) {}
      };

  /**
   * The largest frame a record may declare unless tests lower it: Wireshark's largest packet. Each
   * format caps it further (snoop: 65535).
   */
  static final int DEFAULT_MAX_INCLUDED_LENGTH = RecordHeaderRules.MAX_ORIGINAL_LENGTH;

  /** The most bytes a magic needs to be recognised. */
  private static final int MAGIC_LENGTH = 8;

  private final String file;
  private final SnoopInput in;
  private final int maxIncludedLength;
  private final long bytesToRead;
  private CaptureFormatReader format;

  private CaptureFileReader(String file, SnoopInput in, int maxIncludedLength, long bytesToRead) {
    this.file = file;
    this.in = in;
    this.maxIncludedLength = maxIncludedLength;
    this.bytesToRead = bytesToRead;
  }

  /**
   * A reader over {@code channel} (positioned at offset 0). {@code maxIncludedLength} caps the
   * largest frame a record may declare (each format has its own limit; tests use small values to
   * make files span many maximum record lengths); {@code endAtChannelError} treats read errors as
   * the end of the data, as for truncated compressed files; {@code bytesToRead} (the range length,
   * or {@code Long.MAX_VALUE}) keeps the buffer of a small range from taking the full 1 MiB.
   */
  static CaptureFileReader open(
      String file,
      ReadableByteChannel channel,
      int maxIncludedLength,
      boolean endAtChannelError,
      long bytesToRead) {
    // Enough for any file header; the format grows it to what its proofs need.
    int initial = (int) Math.min(CaptureFormatReader.MIN_BUFFER, bytesToRead + 4096);
    return new CaptureFileReader(
        file,
        new SnoopInput(channel, Math.max(initial, 4096), endAtChannelError),
        maxIncludedLength,
        bytesToRead);
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
    long pos = 0;
    try {
      SnoopReadError headerError = readFileHeader(storedSize);
      if (headerError != null) {
        sink.error(headerError);
      } else {
        if (format.headerNotice != null) {
          sink.error(format.headerNotice);
        }
        pos = format.dataStart();
        boolean lastTruncated = false;
        while (!StopReading.requested() && in.ensure(pos, 1) > 0) {
          long next = format.readItem(pos, sink);
          lastTruncated = format.lastItemTruncated;
          pos = next;
        }
        if (in.endedAbruptly() && !lastTruncated && !StopReading.requested()) {
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
   * The time of the file's first good record, reading no further than it; empty when the file has
   * no record or is not a capture. For a watch, which needs to know when a capture begins.
   */
  OptionalLong firstRecordMicros() throws IOException {
    if (readFileHeader(Long.MAX_VALUE) != null) {
      return OptionalLong.empty();
    }
    long[] first = {Long.MIN_VALUE};
    Sink firstOnly =
        new Sink() {
          @Override
          public void record(SnoopRecordView record) {
            if (first[0] == Long.MIN_VALUE) {
              first[0] = record.timestampMicros();
            }
          }

          @Override
          public void error(SnoopReadError error) {}
        };
    long pos = format.dataStart();
    while (first[0] == Long.MIN_VALUE && in.ensure(pos, 1) > 0) {
      pos = format.readItem(pos, firstOnly);
    }
    return first[0] == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(first[0]);
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
      // The range holding the file header reports what it declares, before any record.
      if (from == 0 && format.headerNotice != null) {
        if (!tracker.tryClaim(from)) {
          return;
        }
        claimed = true;
        sink.error(format.headerNotice);
      }
      long dataStart = format.dataStart();
      long start;
      if (from <= dataStart) {
        start = dataStart;
      } else if (range instanceof CaptureRange given) {
        format.restoreWalkState(given.state());
        start = given.start();
      } else {
        start = format.rangeStart(from);
      }
      if (from > dataStart) {
        sink.resynced(from, start);
      }
      if (to < fileSize) {
        stop = format.rangeStop(to);
      }
      // pcapng's stop is the range end itself: a range inside one long block starts after it.
      if (start > stop && format.stopsExactly()) {
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
      while (pos < stop && !StopReading.requested() && in.ensure(pos, 1) > 0) {
        long claim = pos < to ? pos : from;
        if (pos < to || !claimed) {
          if (!tracker.tryClaim(claim)) {
            return;
          }
          claimed = true;
        }
        pos = format.readItem(pos, sink);
      }
      if (stop != Long.MAX_VALUE
          && format.stopsExactly()
          && pos != stop
          && !StopReading.requested()) {
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
        long end = stop == Long.MAX_VALUE ? Math.max(to, fileSize) : Math.max(stop, pos);
        sink.error(unreadable(pos, Math.max(0, end - pos), e));
      }
    }
    // A range with no item of its own (inside one long record) claims its start to end.
    if (claimed || tracker.tryClaim(from)) {
      sink.end();
    }
    tracker.tryClaim(to);
  }

  /**
   * {@code ranges} (consecutive, in order, covering a file of {@code fileSize} stored bytes) each
   * given its start and the format's state there ({@link CaptureRange}), learnt in one walk of the
   * file, when the format has such state (pcapng); otherwise, or when the file header cannot be
   * read, {@code ranges} as they are, which then find their starts themselves and report what is
   * wrong.
   */
  List<OffsetRange> withGivenStarts(List<OffsetRange> ranges, long fileSize) throws IOException {
    if (readFileHeader(fileSize) != null || format.walkState() == null) {
      return ranges;
    }
    List<OffsetRange> given = new ArrayList<>(ranges.size());
    long dataStart = format.dataStart();
    for (OffsetRange range : ranges) {
      long from = range.getFrom();
      if (from <= dataStart) {
        given.add(range);
      } else {
        long start = format.rangeStart(from);
        given.add(new CaptureRange(from, range.getTo(), start, format.walkState()));
      }
    }
    return given;
  }

  /**
   * Recognises the format by the file's first bytes and checks its header; returns the file-level
   * error, or null when the file can be read.
   */
  SnoopReadError readFileHeader(long storedSize) throws IOException {
    int n = in.ensure(0, MAGIC_LENGTH);
    byte[] b = in.array();
    int i = in.index(0);
    String name = oneLine(file);
    if (n == 0) {
      return SnoopReadError.of(
          file, 0, SnoopReadError.Kind.EMPTY_FILE, 0, name + ": empty file, not a packet capture");
    }
    if (SnoopFileReader.matches(b, i, n)) {
      format = new SnoopFileReader(file, in, maxIncludedLength, bytesToRead);
    } else if (PcapFileReader.matches(b, i, n)) {
      format = new PcapFileReader(file, in, maxIncludedLength, bytesToRead);
    } else if (PcapngFileReader.matches(b, i, n)) {
      format = new PcapngFileReader(file, in, maxIncludedLength, bytesToRead);
    } else {
      return SnoopReadError.of(
          file,
          0,
          SnoopReadError.Kind.BAD_MAGIC,
          Math.max(storedSize, n),
          name
              + ": not a packet capture: starts with \""
              + printable(b, i, n)
              + "\", expected the magic of snoop, pcap or pcapng");
    }
    return format.readFileHeader(storedSize);
  }

  /**
   * Whether the {@code n} bytes at {@code b[i]} start with {@code magic}, or are all there is and
   * start it (a file cut inside its magic is that format's truncated header).
   */
  static boolean startsWith(byte[] b, int i, int n, byte[] magic) {
    int k = Math.min(n, magic.length);
    return Arrays.equals(b, i, i + k, magic, 0, k);
  }

  private SnoopReadError unreadable(long offset, long bytes, IOException e) {
    return SnoopReadError.of(
        file,
        offset,
        SnoopReadError.Kind.UNREADABLE,
        bytes,
        oneLine(file) + ": cannot read from offset " + offset + ": " + oneLine(String.valueOf(e)));
  }

  static String oneLine(String s) {
    return CaptureFormatReader.oneLine(s);
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
