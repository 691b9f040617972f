package dev.connbal.snoop;

/**
 * The checks a snoop or pcap record header must pass to be taken for a record, at least as strict
 * as Wireshark's readers, applied alike to every header the reader follows and to every candidate
 * position it tries while resynchronising. The two formats share every rule; only where the fields
 * lie differs ({@link Layout}).
 *
 * <p>A header is valid when
 *
 * <ul>
 *   <li>{@code included <= maxIncludedLength} (65535 for snoop, where a link header and an IPv4
 *       packet cannot be larger, 262144 for pcap, Wireshark's largest packet; it bounds how far a
 *       record may reach);
 *   <li>{@code included <= original <= 262144} (Wireshark's largest packet);
 *   <li>for snoop, {@code 24 + included <= recordLength <= 24 + included + 7}: the record holds
 *       header and frame, plus at most 7 pad bytes (writers pad to 4, some to 8); a pcap record is
 *       its 16-byte header and the frame;
 *   <li>the fraction of the second is below one second (10^6 microseconds, or 10^9 nanoseconds in a
 *       nanosecond pcap);
 *   <li>when the file's first record header passed the checks above, its seconds lie within one day
 *       before to 366 days after that first record's seconds: a capture file does not span more,
 *       and this rejects most frame bytes that happen to look like a header.
 * </ul>
 *
 * <p>Snoop's cumulative drops are not checked: any value is legal.
 */
final class RecordHeaderRules implements ChainRules {
  static final int DEFAULT_MAX_INCLUDED_LENGTH = 65535;
  static final int MAX_ORIGINAL_LENGTH = 262144;
  static final long SECONDS_BEFORE_FIRST = 86_400L;
  static final long SECONDS_AFTER_FIRST = 366L * 86_400L;

  /** Where a format keeps a record header's fields. */
  record Layout(
      String format,
      int headerLength,
      boolean bigEndian,
      int originalAt,
      int includedAt,
      int recordLengthAt,
      int maxPadding,
      int secondsAt,
      int fractionAt,
      long fractionsPerSecond,
      int maxIncludedLength) {
    /** No record length field: the record is the header and the frame. */
    static final int IMPLICIT = -1;

    /** Snoop (RFC 1761): big-endian, 24 bytes; padding of up to 7 bytes. */
    static final Layout SNOOP =
        new Layout("snoop", 24, true, 0, 4, 8, 7, 16, 20, 1_000_000, DEFAULT_MAX_INCLUDED_LENGTH);

    /** A pcap record header in the file's byte order: seconds, fraction, included, original. */
    static Layout pcap(boolean bigEndian, boolean nanoseconds) {
      return new Layout(
          nanoseconds ? "nanosecond pcap" : "pcap",
          16,
          bigEndian,
          12,
          8,
          IMPLICIT,
          0,
          0,
          4,
          nanoseconds ? 1_000_000_000 : 1_000_000,
          MAX_ORIGINAL_LENGTH);
    }

    String fractionName() {
      return fractionsPerSecond == 1_000_000 ? "microseconds" : "nanoseconds";
    }
  }

  private final Layout layout;
  private final int maxIncludedLength;
  private final boolean timeChecked;
  private final long minSeconds;
  private final long maxSeconds;

  private RecordHeaderRules(
      Layout layout, int maxIncludedLength, boolean timeChecked, long firstSeconds) {
    this.layout = layout;
    this.maxIncludedLength = Math.min(maxIncludedLength, layout.maxIncludedLength());
    this.timeChecked = timeChecked;
    this.minSeconds = firstSeconds - SECONDS_BEFORE_FIRST;
    this.maxSeconds = firstSeconds + SECONDS_AFTER_FIRST;
  }

  /**
   * Rules without a time reference, used to judge the first record header itself. {@code
   * maxIncludedLength} caps the format's own limit (tests use small values).
   */
  static RecordHeaderRules withoutTimeCheck(Layout layout, int maxIncludedLength) {
    return new RecordHeaderRules(layout, maxIncludedLength, false, 0);
  }

  /** Rules whose time window is centred on the first record's {@code firstSeconds}. */
  static RecordHeaderRules withFirstRecordSeconds(
      Layout layout, int maxIncludedLength, long firstSeconds) {
    return new RecordHeaderRules(layout, maxIncludedLength, true, firstSeconds);
  }

  /**
   * The rules of a file whose first record header starts at {@code b[i]}, {@code available} bytes
   * being there: with the time window when that header is complete and valid.
   */
  static RecordHeaderRules forFirstRecord(
      Layout layout, int maxIncludedLength, byte[] b, int i, int available) {
    RecordHeaderRules untimed = withoutTimeCheck(layout, maxIncludedLength);
    if (available >= layout.headerLength() && untimed.isValid(b, i)) {
      return withFirstRecordSeconds(layout, maxIncludedLength, untimed.seconds(b, i));
    }
    return untimed;
  }

  Layout layout() {
    return layout;
  }

  @Override
  public int headerLength() {
    return layout.headerLength();
  }

  @Override
  public int maxRecordLength() {
    return layout.headerLength() + maxIncludedLength + layout.maxPadding();
  }

  long original(byte[] b, int i) {
    return FileOrder.u32(b, i + layout.originalAt(), layout.bigEndian());
  }

  long included(byte[] b, int i) {
    return FileOrder.u32(b, i + layout.includedAt(), layout.bigEndian());
  }

  long seconds(byte[] b, int i) {
    return FileOrder.u32(b, i + layout.secondsAt(), layout.bigEndian());
  }

  long fraction(byte[] b, int i) {
    return FileOrder.u32(b, i + layout.fractionAt(), layout.bigEndian());
  }

  /** The fraction of the second as microseconds: nanoseconds are truncated (SEMANTICS.md). */
  int microseconds(byte[] b, int i) {
    long f = fraction(b, i);
    return (int) (layout.fractionsPerSecond() == 1_000_000 ? f : f / 1000);
  }

  private long declaredRecordLength(byte[] b, int i) {
    return layout.recordLengthAt() == Layout.IMPLICIT
        ? layout.headerLength() + included(b, i)
        : FileOrder.u32(b, i + layout.recordLengthAt(), layout.bigEndian());
  }

  @Override
  public int recordLength(byte[] b, int i) {
    return (int) declaredRecordLength(b, i);
  }

  @Override
  public boolean isValid(byte[] b, int i) {
    long included = included(b, i);
    if (included > maxIncludedLength) {
      return false;
    }
    long recordLength = declaredRecordLength(b, i);
    int header = layout.headerLength();
    if (recordLength < header + included
        || recordLength > header + included + layout.maxPadding()) {
      return false;
    }
    long original = original(b, i);
    if (original < included || original > MAX_ORIGINAL_LENGTH) {
      return false;
    }
    if (fraction(b, i) >= layout.fractionsPerSecond()) {
      return false;
    }
    if (timeChecked) {
      long seconds = seconds(b, i);
      return seconds >= minSeconds && seconds <= maxSeconds;
    }
    return true;
  }

  @Override
  public String whyInvalid(byte[] b, int i) {
    long original = original(b, i);
    long included = included(b, i);
    long recordLength = declaredRecordLength(b, i);
    long seconds = seconds(b, i);
    long fraction = fraction(b, i);
    int header = layout.headerLength();
    if (included > maxIncludedLength) {
      return "included length " + included + " > " + maxIncludedLength;
    }
    if (recordLength < header + included) {
      return "record length " + recordLength + " < " + header + " + included length " + included;
    }
    if (recordLength > header + included + layout.maxPadding()) {
      return "record length "
          + recordLength
          + " > "
          + header
          + " + included length "
          + included
          + " + "
          + layout.maxPadding();
    }
    if (original < included) {
      return "included length " + included + " > original length " + original;
    }
    if (original > MAX_ORIGINAL_LENGTH) {
      return "original length " + original + " > " + MAX_ORIGINAL_LENGTH;
    }
    if (fraction >= layout.fractionsPerSecond()) {
      return layout.fractionName() + " " + fraction + " >= " + layout.fractionsPerSecond();
    }
    if (timeChecked && (seconds < minSeconds || seconds > maxSeconds)) {
      return "time "
          + seconds
          + " s outside ["
          + minSeconds
          + ", "
          + maxSeconds
          + "] around the first record";
    }
    return "valid";
  }
}
