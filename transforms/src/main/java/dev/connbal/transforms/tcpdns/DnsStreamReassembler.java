package dev.connbal.transforms.tcpdns;

import java.util.Arrays;
import java.util.List;

/**
 * Puts back the DNS messages of one direction of one TCP stream (RFC 1035 4.2.2, RFC 7766: each
 * message preceded by its 2-byte big-endian length) from its segments in capture order, as
 * SEMANTICS.md "Events" asks:
 *
 * <ul>
 *   <li>Bytes are placed by sequence number, each position taken from the first segment in capture
 *       order that carries it: retransmitted and overlapping bytes are used once, out-of-order
 *       segments wait for the bytes before them.
 *   <li>A message takes the place of the segment that completes it: the latest, in capture order,
 *       of the segments its bytes were taken from. Each such segment contributed at least one byte
 *       to each message it completes, so a segment completes fewer messages than it has payload
 *       bytes ({@link Sink#message}'s {@code ordinal} stays below that).
 *   <li>Buffering is bounded: at most {@value #WINDOW} bytes (the largest message with its length)
 *       from the next byte needed are kept. A segment that reaches past that, and the end of the
 *       segments, make the hole at the next byte needed a gap that will never be filled.
 *   <li>A gap loses the message it falls into, counted once ({@link Sink#lost}). Inside a message
 *       whose length is known, reading goes on at the next message. When the gap hides where the
 *       next message begins, reading resumes at the next segment start whose 2-byte length is at
 *       least a DNS header: RFC 7766 section 8 asks senders to write the length and its message
 *       together, so segments begin messages. Messages lying wholly in a gap, or passed over while
 *       looking for a start, cannot be seen and are not counted. A message the segments end in the
 *       middle of is lost too.
 *   <li>The stream starts after the SYN's sequence number. A direction first seen without its SYN
 *       (the capture began mid-stream) starts as after a gap, at the lowest sequence number of the
 *       data segments before any SYN. A SYN of another initial sequence number starts a new stream
 *       (the 4-tuple was reused), the old one ending as at the end of the segments.
 * </ul>
 *
 * <p>Sequence numbers are compared in serial-number arithmetic against the next byte needed, so a
 * stream may wrap the 32-bit space. No Beam types. An instance reassembles one direction at a time
 * and is left clean for the next: its window (about 400 KB) is allocated once.
 */
public final class DnsStreamReassembler {
  /** Bytes kept from the next byte needed: a 2-byte length and the largest message it allows. */
  public static final int WINDOW = 2 + 0xffff;

  /** A DNS header: a 2-byte length below this cannot begin a message. */
  static final int DNS_HEADER = 12;

  /** Receives what a direction yields, messages in stream order. */
  public interface Sink {
    /**
     * A whole DNS message (without its length), completed by segment {@code segment} (its index in
     * capture order), the {@code ordinal}-th message that segment completes (from 0).
     */
    void message(byte[] message, int segment, int ordinal);

    /** A message lost to a gap that is never filled. */
    void lost();
  }

  /** One TCP segment of the direction: its sequence number (unsigned), SYN flag and payload. */
  public static final class Segment {
    private final long seq;
    private final boolean syn;
    private final byte[] payload;

    /** {@code payload} is kept, not copied. */
    public Segment(long seq, boolean syn, byte[] payload) {
      this.seq = seq;
      this.syn = syn;
      this.payload = payload;
    }

    public long seq() {
      return seq;
    }

    public boolean syn() {
      return syn;
    }

    public byte[] payload() {
      return payload;
    }
  }

  private final byte[] data = new byte[WINDOW];

  /** Per position of the window: the segment its byte came from, or -1 while it is missing. */
  private final int[] source = new int[WINDOW];

  /** Per position of the window: whether a segment begins there. */
  private final boolean[] segmentStart = new boolean[WINDOW];

  /** Positions of the window whose byte is present. */
  private int present;

  private Sink sink;
  private int[] completed;

  /** The next byte needed, in an unwrapped sequence space. */
  private long next;

  /** Initial sequence number + 1 of the stream, or -1 when it began without its SYN. */
  private long dataStart;

  private boolean started;

  /** Whether the bytes at {@link #next} are looked through for a message start. */
  private boolean seeking;

  private final byte[] length = new byte[2];
  private int lengthRead;
  private byte[] message;
  private int messageRead;
  private int messageSegment;

  public DnsStreamReassembler() {
    Arrays.fill(source, -1);
  }

  /** Reassembles one direction from its segments in capture order. */
  public void reassemble(List<Segment> inCaptureOrder, Sink sink) {
    reassemble(inCaptureOrder, sink, true);
  }

  /**
   * Reassembles one direction from its segments in capture order so far: with {@code ends} false,
   * more segments may follow, so the holes left stay open and a message begun is not lost; what
   * {@link #reassemble(List, Sink)} would add at the end is not given. What the segments yield
   * never depends on the segments after them (but for the start of a direction seen without its
   * SYN, taken from the lowest sequence number of the segments at hand), so the same segments with
   * more after them yield the same messages first, the same losses, and then what the more yield.
   *
   * @return whether bytes are left behind a hole: only then can the end, or a later segment that
   *     reaches past the window, yield messages completed by segments already given
   */
  public boolean reassemble(List<Segment> inCaptureOrder, Sink sink, boolean ends) {
    this.sink = sink;
    this.completed = new int[inCaptureOrder.size()];
    for (int i = 0; i < inCaptureOrder.size(); i++) {
      segment(inCaptureOrder, i);
    }
    boolean bytesBehindAHole = started && present > 0;
    if (ends) {
      end();
    } else {
      forget();
    }
    this.sink = null;
    this.completed = null;
    return bytesBehindAHole;
  }

  /** Leaves the instance clean for the next direction without ending this one. */
  private void forget() {
    Arrays.fill(source, -1);
    Arrays.fill(segmentStart, false);
    present = 0;
    message = null;
    lengthRead = 0;
    started = false;
  }

  private void segment(List<Segment> segments, int index) {
    Segment s = segments.get(index);
    if (s.syn()) {
      long start = (s.seq() + 1) & 0xffffffffL;
      if (started && start == dataStart) {
        return; // a retransmitted SYN; SYN data (TCP Fast Open) is sent again after it.
      }
      if (started) {
        end();
      }
      begin(start, false);
      dataStart = start;
    }
    if (s.payload().length == 0) {
      return;
    }
    if (!started) {
      begin(lowestBeforeSyn(segments, index), true);
      dataStart = -1;
    }
    long from = position(s.syn() ? s.seq() + 1 : s.seq());
    long to = from + s.payload().length;
    if (to <= next) {
      return;
    }
    while (to > next + WINDOW) {
      gap(Math.min(firstPresentAfterNext(), Math.max(from, next)));
    }
    for (long p = Math.max(from, next); p < to; p++) {
      int at = slot(p);
      if (source[at] < 0) {
        data[at] = s.payload()[(int) (p - from)];
        source[at] = index;
        segmentStart[at] = p == from;
        present++;
      }
    }
    deliver();
  }

  /** The lowest sequence number of the data segments from {@code index} up to the first SYN. */
  private static long lowestBeforeSyn(List<Segment> segments, int index) {
    long reference = segments.get(index).seq();
    int lowest = 0;
    for (int i = index; i < segments.size() && !segments.get(i).syn(); i++) {
      if (segments.get(i).payload().length > 0) {
        lowest = Math.min(lowest, (int) (segments.get(i).seq() - reference));
      }
    }
    return (reference + lowest) & 0xffffffffL;
  }

  private void begin(long seq, boolean withoutSyn) {
    started = true;
    next = seq;
    seeking = withoutSyn;
    lengthRead = 0;
    message = null;
  }

  /** Where {@code seq} lies in the unwrapped space: within 2^31 of {@link #next}. */
  private long position(long seq) {
    return next + (int) (seq - next);
  }

  private static int slot(long position) {
    return (int) Math.floorMod(position, (long) WINDOW);
  }

  /** Hands the bytes present from {@link #next} on to the message reader. */
  private void deliver() {
    while (source[slot(next)] >= 0) {
      int at = slot(next);
      int from = source[at];
      boolean starts = segmentStart[at];
      byte b = data[at];
      source[at] = -1;
      segmentStart[at] = false;
      present--;
      next++;
      read(b, from, starts);
    }
  }

  private void read(byte b, int from, boolean startsSegment) {
    if (seeking && !(lengthRead == 1 || startsSegment)) {
      return;
    }
    if (message == null) {
      if (lengthRead == 0) {
        messageSegment = from;
      }
      messageSegment = Math.max(messageSegment, from);
      length[lengthRead++] = b;
      if (lengthRead < 2) {
        return;
      }
      lengthRead = 0;
      int size = ((length[0] & 0xff) << 8) | (length[1] & 0xff);
      if (seeking && size < DNS_HEADER) {
        return;
      }
      seeking = false;
      message = new byte[size];
      messageRead = 0;
      if (size == 0) {
        complete();
      }
      return;
    }
    messageSegment = Math.max(messageSegment, from);
    message[messageRead++] = b;
    if (messageRead == message.length) {
      complete();
    }
  }

  private void complete() {
    sink.message(message, messageSegment, completed[messageSegment]++);
    message = null;
  }

  /** The first position after {@link #next} whose byte is present, or past the window if none. */
  private long firstPresentAfterNext() {
    if (present == 0) {
      return next + WINDOW;
    }
    for (long p = next + 1; p < next + WINDOW; p++) {
      if (source[slot(p)] >= 0) {
        return p;
      }
    }
    return next + WINDOW;
  }

  /**
   * The bytes from {@link #next} up to {@code resume} will never come: the message they fall into
   * is lost, and reading goes on at the next message when its start is known, else by looking for
   * one from {@code resume} on.
   */
  private void gap(long resume) {
    if (!seeking) {
      sink.lost();
    }
    long messageEnd = message == null ? -1 : next + (message.length - messageRead);
    lengthRead = 0;
    message = null;
    if (messageEnd >= resume) {
      skipTo(messageEnd);
    } else {
      skipTo(resume);
      seeking = true;
    }
    deliver();
  }

  private void skipTo(long position) {
    for (; next < position; next++) {
      int at = slot(next);
      if (source[at] >= 0) {
        present--;
      }
      source[at] = -1;
      segmentStart[at] = false;
    }
  }

  /** No more segments: every hole left is a gap, and a message begun and not ended is lost. */
  private void end() {
    if (!started) {
      return;
    }
    for (long p = firstPresentAfterNext(); p < next + WINDOW; p = firstPresentAfterNext()) {
      gap(p);
    }
    if (!seeking && (message != null || lengthRead > 0)) {
      sink.lost();
    }
    message = null;
    lengthRead = 0;
    started = false;
  }
}
