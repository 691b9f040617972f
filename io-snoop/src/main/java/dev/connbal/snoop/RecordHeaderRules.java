package dev.connbal.snoop;

/**
 * The checks a 24-byte snoop record header must pass to be taken for a record, at least as strict
 * as Wireshark's snoop reader, applied alike to every header the reader follows and to every
 * candidate position it tries while resynchronising.
 *
 * <p>Header fields (big-endian, unsigned): original length, included length, record length,
 * cumulative drops, seconds, microseconds. A header is valid when
 *
 * <ul>
 *   <li>{@code included <= maxIncludedLength} (65535 by default: an IPv4 packet plus a link header
 *       cannot be larger, and it bounds how far a record may reach);
 *   <li>{@code included <= original <= 262144} (Wireshark's largest packet);
 *   <li>{@code 24 + included <= recordLength <= 24 + included + 7}: the record holds header and
 *       frame, plus at most 7 pad bytes (writers pad to 4, some to 8);
 *   <li>{@code microseconds < 1,000,000};
 *   <li>when the file's first record header passed the checks above, its seconds lie within one day
 *       before to 366 days after that first record's seconds: a capture file does not span more,
 *       and this rejects most frame bytes that happen to look like a header.
 * </ul>
 *
 * <p>Cumulative drops are not checked: any value is legal.
 */
final class RecordHeaderRules {
  static final int RECORD_HEADER_LENGTH = SnoopWriter.RECORD_HEADER_LENGTH;
  static final int DEFAULT_MAX_INCLUDED_LENGTH = 65535;
  static final long MAX_ORIGINAL_LENGTH = 262144;
  static final int MAX_PADDING = 7;
  static final long SECONDS_BEFORE_FIRST = 86_400L;
  static final long SECONDS_AFTER_FIRST = 366L * 86_400L;

  private final int maxIncludedLength;
  private final boolean timeChecked;
  private final long minSeconds;
  private final long maxSeconds;

  private RecordHeaderRules(int maxIncludedLength, boolean timeChecked, long firstSeconds) {
    this.maxIncludedLength = maxIncludedLength;
    this.timeChecked = timeChecked;
    this.minSeconds = firstSeconds - SECONDS_BEFORE_FIRST;
    this.maxSeconds = firstSeconds + SECONDS_AFTER_FIRST;
  }

  /** Rules without a time reference, used to judge the first record header itself. */
  static RecordHeaderRules withoutTimeCheck(int maxIncludedLength) {
    return new RecordHeaderRules(maxIncludedLength, false, 0);
  }

  /** Rules whose time window is centred on the first record's {@code firstSeconds}. */
  static RecordHeaderRules withFirstRecordSeconds(int maxIncludedLength, long firstSeconds) {
    return new RecordHeaderRules(maxIncludedLength, true, firstSeconds);
  }

  /** Largest record length a valid header can declare: how far apart two boundaries can be. */
  int maxRecordLength() {
    return RECORD_HEADER_LENGTH + maxIncludedLength + MAX_PADDING;
  }

  /** Whether the 24 bytes at {@code b[i]} form a valid record header. */
  boolean isValid(byte[] b, int i) {
    long included = BigEndian.u32(b, i + 4);
    if (included > maxIncludedLength) {
      return false;
    }
    long recordLength = BigEndian.u32(b, i + 8);
    if (recordLength < RECORD_HEADER_LENGTH + included
        || recordLength > RECORD_HEADER_LENGTH + included + MAX_PADDING) {
      return false;
    }
    long original = BigEndian.u32(b, i);
    if (original < included || original > MAX_ORIGINAL_LENGTH) {
      return false;
    }
    if (BigEndian.u32(b, i + 20) >= 1_000_000) {
      return false;
    }
    if (timeChecked) {
      long seconds = BigEndian.u32(b, i + 16);
      return seconds >= minSeconds && seconds <= maxSeconds;
    }
    return true;
  }

  /** Why the header at {@code b[i]} is invalid, for error messages; only call on invalid ones. */
  String whyInvalid(byte[] b, int i) {
    long original = BigEndian.u32(b, i);
    long included = BigEndian.u32(b, i + 4);
    long recordLength = BigEndian.u32(b, i + 8);
    long seconds = BigEndian.u32(b, i + 16);
    long micros = BigEndian.u32(b, i + 20);
    if (included > maxIncludedLength) {
      return "included length " + included + " > " + maxIncludedLength;
    }
    if (recordLength < RECORD_HEADER_LENGTH + included) {
      return "record length " + recordLength + " < 24 + included length " + included;
    }
    if (recordLength > RECORD_HEADER_LENGTH + included + MAX_PADDING) {
      return "record length " + recordLength + " > 24 + included length " + included + " + 7";
    }
    if (original < included) {
      return "included length " + included + " > original length " + original;
    }
    if (original > MAX_ORIGINAL_LENGTH) {
      return "original length " + original + " > " + MAX_ORIGINAL_LENGTH;
    }
    if (micros >= 1_000_000) {
      return "microseconds " + micros + " >= 1000000";
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
