package dev.connbal.snoop;

/**
 * What a format says about the record (or block) header at a position: whether it is plausible and
 * how long its record is. {@link RecordChain} proves record boundaries from these rules alone, so
 * one proof serves every format.
 */
interface ChainRules {
  /** Bytes a header needs before {@link #isValid} can judge it. */
  int headerLength();

  /** Largest record length a valid header can declare: how far apart two boundaries can be. */
  int maxRecordLength();

  /** Whether the {@link #headerLength} bytes at {@code b[i]} form a valid header. */
  boolean isValid(byte[] b, int i);

  /** The record length a valid header at {@code b[i]} declares, at least {@link #headerLength}. */
  int recordLength(byte[] b, int i);

  /** Why the header at {@code b[i]} is invalid, for error messages; only call on invalid ones. */
  String whyInvalid(byte[] b, int i);

  /**
   * Whether the whole record at {@code b[i]}, {@code length} bytes of a valid header, confirms it:
   * a pcapng block repeats its length at its end. Records the data ends inside are never asked.
   */
  default boolean closes(byte[] b, int i, int length) {
    return true;
  }

  /**
   * The rules of the record after the valid one at {@code b[i]}: these, unless the record changes
   * them (a pcapng section header sets the byte order of the blocks after it).
   */
  default ChainRules next(byte[] b, int i) {
    return this;
  }
}
