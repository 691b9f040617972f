package dev.connbal.transforms.keys;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.net.InetAddresses;

/**
 * An IPv4 or IPv6 address: the one definition of how connbal holds, compares, encodes and prints
 * addresses.
 *
 * <p>Held as 128 bits in two longs ({@code high}, {@code low}), an IPv4 address {@code a.b.c.d} as
 * its IPv4-mapped form {@code ::ffff:a.b.c.d} (RFC 4291 2.5.5.2). Nothing else can take that form:
 * an IPv4-mapped address in an AAAA record <em>is</em> the IPv4 address (a dual-stack socket that
 * connects to it sends IPv4), and an IPv6 header carrying one is skipped by the decoder (such
 * packets must not appear on the wire, RFC 4942 2.1.1), so the families never meet in one value.
 * Code where packets flow passes the two longs (no object per packet); this class gives the static
 * operations on them, and is the value where an object is wanted (keys, events, facts).
 *
 * <p>Order (SEMANTICS.md "Output"): IPv4 before IPv6, then numeric. Encoding ({@link #writeTo}):
 * the family's length (4 or 16), then the address' bytes, so an IPv4 address costs 5 bytes.
 */
public final class IpAddress implements Comparable<IpAddress>, Serializable {
  private static final long serialVersionUID = 1L;

  /** The most bytes {@link #writeTo} writes: the length byte and an IPv6 address. */
  public static final int MAX_ENCODED_BYTES = 17;

  /** The low half of {@code ::ffff:0.0.0.0}, the IPv4-mapped prefix (the high half is 0). */
  private static final long V4_MAPPED = 0xffffL << 32;

  private final long high;
  private final long low;

  private IpAddress(long high, long low) {
    this.high = high;
    this.low = low;
  }

  /** The IPv4 address {@code v4} (network order, first octet in the high byte). */
  public static IpAddress ofV4(int v4) {
    return new IpAddress(0, v4Low(v4));
  }

  /** The address of the two halves (an IPv4 address as {@link #v4Low}). */
  public static IpAddress of(long high, long low) {
    return new IpAddress(high, low);
  }

  /** The low half of the IPv4 address {@code v4}, whose high half is 0. */
  public static long v4Low(int v4) {
    return V4_MAPPED | (v4 & 0xFFFF_FFFFL);
  }

  /** Whether the halves are an IPv4 address. */
  public static boolean isV4(long high, long low) {
    return high == 0 && (low & 0xFFFF_FFFF_0000_0000L) == V4_MAPPED;
  }

  /**
   * The address read from {@code bytes[at, at + 16)}, an IPv6 address (an IPv4-mapped one is IPv4).
   */
  public static IpAddress ofV6Bytes(byte[] bytes, int at) {
    return new IpAddress(longAt(bytes, at), longAt(bytes, at + 8));
  }

  /** The 8 big-endian bytes at {@code bytes[at, at + 8)}. */
  public static long longAt(byte[] bytes, int at) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (bytes[at + i] & 0xFF);
    }
    return v;
  }

  /** An address in any text form Java accepts for an IP literal ({@code 10.0.0.1}, {@code ::1}). */
  public static IpAddress parse(String text) {
    byte[] b = InetAddresses.forString(text).getAddress();
    return b.length == 4 ? ofV4(v4At(b)) : ofV6Bytes(b, 0);
  }

  private static int v4At(byte[] b) {
    return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
  }

  public long high() {
    return high;
  }

  public long low() {
    return low;
  }

  public boolean isV4() {
    return isV4(high, low);
  }

  /** The IPv4 address (first octet in the high byte); meaningful only when {@link #isV4}. */
  public int v4() {
    return (int) low;
  }

  /** IPv4 before IPv6, then numeric. */
  public static int compare(long high, long low, long otherHigh, long otherLow) {
    boolean v4 = isV4(high, low);
    if (v4 != isV4(otherHigh, otherLow)) {
      return v4 ? -1 : 1;
    }
    int byHigh = Long.compareUnsigned(high, otherHigh);
    return byHigh != 0 ? byHigh : Long.compareUnsigned(low, otherLow);
  }

  @Override
  public int compareTo(IpAddress o) {
    return compare(high, low, o.high, o.low);
  }

  /** A well-mixed hash of the halves ({@link Shards#mix}): addresses of one subnet spread. */
  public static long hash(long high, long low) {
    return Shards.mix(Shards.mix(high) ^ low);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IpAddress a && high == a.high && low == a.low;
  }

  /**
   * Cheap, for hash maps of addresses and of keys that hold them (queries): an IPv4 address hashes
   * as its int does, up to a constant. Shards and open-addressing tables use {@link #hash}.
   */
  @Override
  public int hashCode() {
    return 31 * Long.hashCode(high) + Long.hashCode(low);
  }

  /** Writes the family's length (4 or 16) and the address' bytes. */
  public void writeTo(OutputStream out) throws IOException {
    write(high, low, out);
  }

  /** {@link #writeTo} of the halves. */
  public static void write(long high, long low, OutputStream out) throws IOException {
    byte[] b = new byte[MAX_ENCODED_BYTES];
    out.write(b, 0, encode(high, low, b, 0));
  }

  /** {@link #writeTo}, to a {@link DataOutput}. */
  public void writeData(DataOutput out) throws IOException {
    byte[] b = new byte[MAX_ENCODED_BYTES];
    out.write(b, 0, encode(high, low, b, 0));
  }

  /**
   * Puts the bytes {@link #writeTo} writes at {@code b[at ..]}, which has room for {@value
   * #MAX_ENCODED_BYTES}; returns their count.
   */
  public static int encode(long high, long low, byte[] b, int at) {
    if (isV4(high, low)) {
      b[at] = 4;
      putBytes(b, at + 1, low, 4);
      return 5;
    }
    b[at] = 16;
    putBytes(b, at + 1, high, 8);
    putBytes(b, at + 9, low, 8);
    return MAX_ENCODED_BYTES;
  }

  /** The low {@code count} bytes of {@code v}, big-endian, at {@code b[at ..]}. */
  private static void putBytes(byte[] b, int at, long v, int count) {
    for (int i = 0; i < count; i++) {
      b[at + i] = (byte) (v >>> (8 * (count - 1 - i)));
    }
  }

  /** Reads what {@link #writeTo} wrote; allocates nothing but the address. */
  public static IpAddress readFrom(InputStream in) throws IOException {
    int length = in.read();
    if (length == 4) {
      return ofV4((int) readBytes(in, 4));
    }
    if (length != 16) {
      throw new CoderException("no address of " + length + " bytes");
    }
    return v6(readBytes(in, 8), readBytes(in, 8));
  }

  /** The next {@code count} bytes of {@code in}, big-endian. */
  private static long readBytes(InputStream in, int count) throws IOException {
    long v = 0;
    for (int i = 0; i < count; i++) {
      int b = in.read();
      if (b < 0) {
        throw new CoderException("address cut short");
      }
      v = (v << 8) | b;
    }
    return v;
  }

  /** The IPv6 address of the halves, which must not be an IPv4 address' form. */
  private static IpAddress v6(long high, long low) throws CoderException {
    if (isV4(high, low)) {
      throw new CoderException("an IPv4 address written as IPv6: " + of(high, low));
    }
    return of(high, low);
  }

  /** Reads what {@link #writeTo} wrote, from a {@link DataInput}. */
  public static IpAddress readData(DataInput in) throws IOException {
    int length = in.readUnsignedByte();
    if (length == 4) {
      return ofV4(in.readInt());
    }
    if (length != 16) {
      throw new CoderException("no address of " + length + " bytes");
    }
    return v6(in.readLong(), in.readLong());
  }

  /**
   * The padded form, that {@code sort -n} orders: IPv4 as four 3-digit octets ({@code
   * 010.000.001.002}), IPv6 as eight groups of four lowercase hex digits.
   */
  public String padded() {
    // Filled digit by digit: a document formats two addresses a row, and String.format's parsing
    // and locale lookups cost more than the rest of the row.
    if (isV4()) {
      int ip = v4();
      char[] s = new char[15];
      for (int octet = 0; octet < 4; octet++) {
        int value = (ip >>> (24 - 8 * octet)) & 0xFF;
        int at = octet * 4;
        s[at] = (char) ('0' + value / 100);
        s[at + 1] = (char) ('0' + value / 10 % 10);
        s[at + 2] = (char) ('0' + value % 10);
        if (octet < 3) {
          s[at + 3] = '.';
        }
      }
      return new String(s);
    }
    char[] s = new char[39];
    for (int g = 0; g < 8; g++) {
      int value = group(g);
      int at = g * 5;
      for (int digit = 0; digit < 4; digit++) {
        s[at + digit] = Character.forDigit((value >>> (12 - 4 * digit)) & 0xF, 16);
      }
      if (g < 7) {
        s[at + 4] = ':';
      }
    }
    return new String(s);
  }

  /** The plain form: dotted decimal for IPv4, RFC 5952's for IPv6 ({@code 2001:db8::1}). */
  @Override
  public String toString() {
    if (isV4()) {
      int ip = v4();
      return (ip >>> 24)
          + "."
          + ((ip >>> 16) & 0xFF)
          + "."
          + ((ip >>> 8) & 0xFF)
          + "."
          + (ip & 0xFF);
    }
    // RFC 5952 4.2: the longest run of two or more zero groups (the first of equals) becomes "::".
    int bestStart = -1;
    int bestLength = 1;
    for (int g = 0; g < 8; ) {
      int run = 0;
      while (g + run < 8 && group(g + run) == 0) {
        run++;
      }
      if (run > bestLength) {
        bestStart = g;
        bestLength = run;
      }
      g += Math.max(run, 1);
    }
    StringBuilder s = new StringBuilder(39);
    for (int g = 0; g < 8; g++) {
      if (g == bestStart) {
        s.append("::");
        g += bestLength - 1;
      } else {
        if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
          s.append(':');
        }
        s.append(Integer.toHexString(group(g)));
      }
    }
    return s.toString();
  }

  /** The 16-bit group {@code g} (0 to 7) of an IPv6 address. */
  private int group(int g) {
    long half = g < 4 ? high : low;
    return (int) (half >>> (48 - 16 * (g & 3))) & 0xFFFF;
  }
}
