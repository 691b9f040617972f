package dev.connbal.snoop;

/**
 * The checks a pcapng block must pass to be taken for a block: its total length, at least 12 and a
 * multiple of 4, at most {@link #maxRecordLength()}, in the section's byte order; the same length
 * repeated in its last 4 bytes ({@link #closes}); a Section Header Block's byte-order magic, which
 * gives the order of its own length and of the blocks after it. Any block type passes: readers skip
 * the types they do not know.
 *
 * <pre>
 * +---------------------------------------------------------------+
 * |                          Block Type                           |
 * |                      Block Total Length                       |
 * /                          Block Body                           /
 * |                      Block Total Length                       |
 * +---------------------------------------------------------------+
 * </pre>
 */
final class PcapngBlockRules implements ChainRules {
  static final int SECTION_HEADER = 0x0A0D0D0A;
  static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
  static final int MIN_BLOCK_LENGTH = 12;

  /** Type, total length, and the first word of the body (a section header's byte-order magic). */
  private static final int HEADER_LENGTH = 12;

  private static final int LENGTH_AT = 4;
  private static final int MAGIC_AT = 8;

  private final boolean bigEndian;
  private final int maxBlockLength;
  private PcapngBlockRules other;

  private PcapngBlockRules(boolean bigEndian, int maxBlockLength) {
    this.bigEndian = bigEndian;
    this.maxBlockLength = maxBlockLength;
  }

  /** The rules of both byte orders for blocks of at most {@code maxBlockLength} bytes. */
  static PcapngBlockRules[] bothOrders(int maxBlockLength) {
    PcapngBlockRules big = new PcapngBlockRules(true, maxBlockLength);
    PcapngBlockRules little = new PcapngBlockRules(false, maxBlockLength);
    big.other = little;
    little.other = big;
    return new PcapngBlockRules[] {big, little};
  }

  boolean bigEndian() {
    return bigEndian;
  }

  /** The rules of the byte order of the section header at {@code b[i]}, or null without magic. */
  PcapngBlockRules ofSection(byte[] b, int i) {
    if (BigEndian.i32(b, i + MAGIC_AT) == BYTE_ORDER_MAGIC) {
      return bigEndian ? this : other;
    }
    if (Integer.reverseBytes(BigEndian.i32(b, i + MAGIC_AT)) == BYTE_ORDER_MAGIC) {
      return bigEndian ? other : this;
    }
    return null;
  }

  static boolean isSectionHeader(byte[] b, int i) {
    return BigEndian.i32(b, i) == SECTION_HEADER; // a palindrome: the same in either order
  }

  /** The rules that read the block at {@code b[i]}: its own order for a section header. */
  private PcapngBlockRules reading(byte[] b, int i) {
    return isSectionHeader(b, i) ? ofSection(b, i) : this;
  }

  int type(byte[] b, int i) {
    return (int) FileOrder.u32(b, i, bigEndian);
  }

  @Override
  public int headerLength() {
    return HEADER_LENGTH;
  }

  @Override
  public int maxRecordLength() {
    return maxBlockLength;
  }

  @Override
  public boolean isValid(byte[] b, int i) {
    PcapngBlockRules r = reading(b, i);
    if (r == null) {
      return false;
    }
    long length = FileOrder.u32(b, i + LENGTH_AT, r.bigEndian);
    return length >= MIN_BLOCK_LENGTH && length % 4 == 0 && length <= maxBlockLength;
  }

  @Override
  public int recordLength(byte[] b, int i) {
    return (int) FileOrder.u32(b, i + LENGTH_AT, reading(b, i).bigEndian);
  }

  @Override
  public boolean closes(byte[] b, int i, int length) {
    return FileOrder.u32(b, i + length - 4, reading(b, i).bigEndian) == length;
  }

  @Override
  public ChainRules next(byte[] b, int i) {
    return reading(b, i);
  }

  @Override
  public String whyInvalid(byte[] b, int i) {
    PcapngBlockRules r = reading(b, i);
    if (r == null) {
      return "section header without byte-order magic";
    }
    long length = FileOrder.u32(b, i + LENGTH_AT, r.bigEndian);
    if (length < MIN_BLOCK_LENGTH || length % 4 != 0) {
      return "block total length " + length + " is not a multiple of 4 of at least 12";
    }
    if (length > maxBlockLength) {
      return "block total length " + length + " > " + maxBlockLength;
    }
    return "valid";
  }

  /**
   * Why a valid block of {@code length} bytes at {@code b[i]} is not {@linkplain #closes closed}.
   */
  String whyNotClosed(byte[] b, int i, int length) {
    return "block total length "
        + length
        + " but "
        + FileOrder.u32(b, i + length - 4, reading(b, i).bigEndian)
        + " at its end";
  }
}
