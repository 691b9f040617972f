package dev.connbal.bench;

import dev.connbal.snoop.BigEndian;

/**
 * The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of 16-bit
 * big-endian words. Partial sums are plain {@code long}s so that a pseudo-header and a segment can
 * be summed separately and folded once.
 */
final class InternetChecksum {
  private InternetChecksum() {}

  /** Adds the bytes {@code [from, to)} as big-endian 16-bit words (an odd last byte is padded). */
  static long sum(long partial, byte[] b, int from, int to) {
    long sum = partial;
    int i = from;
    for (; i + 1 < to; i += 2) {
      sum += BigEndian.u16(b, i);
    }
    if (i < to) {
      sum += (b[i] & 0xff) << 8;
    }
    return sum;
  }

  /** Adds a 32-bit value as two 16-bit words. */
  static long sum32(long partial, int value) {
    return partial + (value >>> 16) + (value & 0xffff);
  }

  /** The checksum field value for a partial sum: folded to 16 bits and complemented. */
  static int finish(long sum) {
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xffff) + (sum >>> 16);
    }
    return (int) (~sum & 0xffff);
  }
}
