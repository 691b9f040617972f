package dev.connbal.transforms.decode;

import java.io.ByteArrayOutputStream;
import java.io.Serializable;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * A DNS domain name: immutable, labels as raw bytes (DNS labels are octets, not text), compared
 * ASCII case-insensitively as DNS compares names. Encoded by {@link DnsNameCoder}, which keeps the
 * case as received.
 *
 * <p>{@link #presentation()} escapes every byte that is not printable ASCII, so a name from a
 * capture can never put a tab or newline into a TSV row.
 */
@DefaultCoder(DnsNameCoder.class)
public final class DnsName implements Comparable<DnsName>, Serializable {
  private static final long serialVersionUID = 1L;

  /** Longest name in wire form (labels, their length bytes and the root byte), RFC 1035 2.3.4. */
  static final int MAX_WIRE_LENGTH = 255;

  /** Longest label, RFC 1035 2.3.4. */
  static final int MAX_LABEL_LENGTH = 63;

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long HASH_MULTIPLIER = 0x9E3779B97F4A7C15L;

  private static final DnsName ROOT = new DnsName(new byte[] {0});

  /** Uncompressed wire form: length-prefixed labels, then the root's zero byte. */
  private final byte[] wire;

  /** Offset in {@link #wire} of each label's length byte, root excluded. */
  private final int[] labelOffsets;

  private int hash;
  private String presentation;

  private DnsName(byte[] wire) {
    this.wire = wire;
    int count = 0;
    for (int i = 0; wire[i] != 0; i += 1 + wire[i]) {
      count++;
    }
    labelOffsets = new int[count];
    for (int i = 0, n = 0; wire[i] != 0; i += 1 + wire[i]) {
      labelOffsets[n++] = i;
    }
  }

  /**
   * A name from its uncompressed wire form, which the caller has validated (labels 1..63 bytes,
   * root-terminated, at most 255 bytes) and will not modify.
   */
  static DnsName ofValidatedWire(byte[] wire) {
    return wire.length == 1 ? ROOT : new DnsName(wire);
  }

  /**
   * A name from an uncompressed wire form, checked. The name keeps {@code wire}: the caller hands
   * it over and never touches it again.
   */
  static DnsName ofWire(byte[] wire) {
    if (wire.length == 0 || wire.length > MAX_WIRE_LENGTH) {
      throw new IllegalArgumentException("name wire form of " + wire.length + " bytes");
    }
    int i = 0;
    while (wire[i] != 0) {
      int len = wire[i];
      if (len < 0 || len > MAX_LABEL_LENGTH || i + 1 + len >= wire.length) {
        throw new IllegalArgumentException("bad label at " + i + " of a name's wire form");
      }
      i += 1 + len;
    }
    if (i != wire.length - 1) {
      throw new IllegalArgumentException("bytes after the root label of a name's wire form");
    }
    return ofValidatedWire(wire);
  }

  /**
   * Whether {@code other} is spelled exactly like this name (same bytes, same case), where {@link
   * #equals} follows DNS and ignores case. Equal spellings are equal names, so {@link #hashCode}
   * serves both.
   */
  // The == is only a fast path for the same instance; Arrays.equals decides otherwise.
  @SuppressWarnings("ReferenceEquality")
  public boolean sameSpelling(DnsName other) {
    return this == other || Arrays.equals(wire, other.wire);
  }

  /** Whether this name's wire form is exactly {@code wire[0, length)}: same bytes, same case. */
  boolean isSpelled(byte[] wire, int length) {
    return Arrays.equals(this.wire, 0, this.wire.length, wire, 0, length);
  }

  /**
   * A hash of the exact bytes {@code wire[0, length)}, eight at a time; case-sensitive, unlike
   * {@link #hashCode}, for {@link DnsNameCache}, which tells spellings apart.
   */
  static int spellingHash(byte[] wire, int length) {
    long x = length;
    int i = 0;
    for (; i + Long.BYTES <= length; i += Long.BYTES) {
      x = (x ^ (long) LONGS.get(wire, i)) * HASH_MULTIPLIER;
    }
    long tail = 0;
    for (int shift = 0; i < length; i++, shift += Byte.SIZE) {
      tail |= (wire[i] & 0xFFL) << shift;
    }
    x = (x ^ tail) * HASH_MULTIPLIER;
    return (int) (x ^ (x >>> 32));
  }

  /** The uncompressed wire form, shared: callers must not modify it. */
  byte[] wire() {
    return wire;
  }

  /** The root name ".". */
  public static DnsName root() {
    return ROOT;
  }

  /**
   * Parses presentation form for tests and configuration: labels separated by '.', optional
   * trailing dot ("." and "" are the root), {@code \DDD} (decimal byte), {@code \.} and {@code \\}
   * (and {@code \X} for any other printable X) as escapes. Other characters must be printable ASCII
   * (space included).
   *
   * @throws IllegalArgumentException for empty labels, labels over 63 bytes, names over 255 bytes,
   *     bad escapes or characters outside printable ASCII
   */
  public static DnsName fromPresentation(String s) {
    if (s.isEmpty() || s.equals(".")) {
      return ROOT;
    }
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    ByteArrayOutputStream label = new ByteArrayOutputStream();
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i++);
      if (c == '.') {
        appendLabel(wire, label.toByteArray(), s);
        label.reset();
      } else if (c == '\\') {
        if (i >= s.length()) {
          throw new IllegalArgumentException("dangling '\\' in name: " + s);
        }
        if (isDigit(s.charAt(i))) {
          if (i + 3 > s.length() || !isDigit(s.charAt(i + 1)) || !isDigit(s.charAt(i + 2))) {
            throw new IllegalArgumentException("\\DDD needs three digits in name: " + s);
          }
          int value = Integer.parseInt(s.substring(i, i + 3));
          if (value > 255) {
            throw new IllegalArgumentException("\\" + value + " is not a byte in name: " + s);
          }
          label.write(value);
          i += 3;
        } else {
          label.write(printable(s.charAt(i++), s));
        }
      } else {
        label.write(printable(c, s));
      }
    }
    if (label.size() > 0) {
      appendLabel(wire, label.toByteArray(), s);
    }
    wire.write(0);
    return checkedLength(wire.toByteArray(), s);
  }

  /**
   * A name from its labels (raw bytes, not escaped), most specific first; no labels is the root.
   *
   * @throws IllegalArgumentException for empty labels, labels over 63 bytes, names over 255 bytes
   */
  public static DnsName ofLabels(byte[]... labels) {
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    for (byte[] label : labels) {
      appendLabel(wire, label, "labels");
    }
    wire.write(0);
    return checkedLength(wire.toByteArray(), "labels");
  }

  private static void appendLabel(ByteArrayOutputStream wire, byte[] label, String context) {
    if (label.length == 0) {
      throw new IllegalArgumentException("empty label in name: " + context);
    }
    if (label.length > MAX_LABEL_LENGTH) {
      throw new IllegalArgumentException(
          "label of " + label.length + " bytes (max 63) in name: " + context);
    }
    wire.write(label.length);
    wire.write(label, 0, label.length);
  }

  private static DnsName checkedLength(byte[] wire, String context) {
    if (wire.length > MAX_WIRE_LENGTH) {
      throw new IllegalArgumentException(
          "name of " + wire.length + " bytes (max 255) in wire form: " + context);
    }
    return ofValidatedWire(wire);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static int printable(char c, String context) {
    if (c < 0x20 || c > 0x7e) {
      throw new IllegalArgumentException(
          "character U+"
              + Integer.toHexString(c)
              + " must be written as \\DDD in name: "
              + context);
    }
    return c;
  }

  /**
   * Presentation form with a trailing dot; the root is ".". Bytes outside printable ASCII
   * 0x21..0x7e, and space, are written as {@code \DDD} (three decimal digits); '.' inside a label
   * as {@code \.} and '\' as {@code \\}. The result never holds a tab, newline or non-ASCII
   * character.
   */
  public String presentation() {
    String p = presentation;
    if (p == null) {
      p = buildPresentation();
      presentation = p;
    }
    return p;
  }

  private String buildPresentation() {
    if (labelOffsets.length == 0) {
      return ".";
    }
    StringBuilder sb = new StringBuilder(wire.length + 8);
    for (int offset : labelOffsets) {
      int end = offset + 1 + wire[offset];
      for (int i = offset + 1; i < end; i++) {
        int b = wire[i] & 0xff;
        if (b == '.' || b == '\\') {
          sb.append('\\').append((char) b);
        } else if (b >= 0x21 && b <= 0x7e) {
          sb.append((char) b);
        } else {
          sb.append('\\')
              .append((char) ('0' + b / 100))
              .append((char) ('0' + b / 10 % 10))
              .append((char) ('0' + b % 10));
        }
      }
      sb.append('.');
    }
    return sb.toString();
  }

  /**
   * Whether {@code filter} occurs in {@link #presentation()}, comparing ASCII letters
   * case-insensitively and every other character exactly. The empty filter matches every name.
   */
  public boolean containsIgnoreCase(String filter) {
    String p = presentation();
    int last = p.length() - filter.length();
    for (int start = 0; start <= last; start++) {
      int k = 0;
      while (k < filter.length()
          && asciiLower(p.charAt(start + k)) == asciiLower(filter.charAt(k))) {
        k++;
      }
      if (k == filter.length()) {
        return true;
      }
    }
    return false;
  }

  private static char asciiLower(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
  }

  private static int asciiLower(byte b) {
    return b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b & 0xff;
  }

  /** ASCII case-insensitive, as DNS compares names (RFC 4343). */
  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof DnsName name)) {
      return false;
    }
    byte[] other = name.wire;
    if (other.length != wire.length) {
      return false;
    }
    // Length bytes are 0..63, below 'A', so lower-casing the whole wire form is safe.
    for (int i = 0; i < wire.length; i++) {
      if (asciiLower(wire[i]) != asciiLower(other[i])) {
        return false;
      }
    }
    return true;
  }

  /**
   * Case-insensitive like {@link #equals}, eight bytes at a time: pass 1 hashes every name of every
   * DNS message it reads (to write each distinct name of a range once), so the hash is on its hot
   * path (bench/RESULTS.md has the measurement).
   */
  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      long x = wire.length;
      int i = 0;
      for (; i + Long.BYTES <= wire.length; i += Long.BYTES) {
        x = (x ^ asciiLower8((long) LONGS.get(wire, i))) * HASH_MULTIPLIER;
      }
      long tail = 0;
      for (int shift = 0; i < wire.length; i++, shift += Byte.SIZE) {
        tail |= (wire[i] & 0xFFL) << shift;
      }
      x = (x ^ asciiLower8(tail)) * HASH_MULTIPLIER;
      h = (int) (x ^ (x >>> 32));
      // 0 means "not computed yet".
      hash = h == 0 ? 1 : h;
    }
    return hash;
  }

  /** Eight bytes with every ASCII 'A'..'Z' among them lower-cased, other bytes untouched. */
  static long asciiLower8(long bytes) {
    long low7 = bytes & 0x7F7F7F7F7F7F7F7FL;
    // Per byte, 7 bits plus a constant never carries into the next byte; bit 7 of the sum says
    // whether the byte was at least 'A', and at least 'Z' + 1.
    long atLeastA = low7 + 0x3F3F3F3F3F3F3F3FL; // 0x80 - 'A'
    long pastZ = low7 + 0x2525252525252525L; // 0x80 - ('Z' + 1)
    long upper = atLeastA & ~pastZ & ~bytes & 0x8080808080808080L;
    return bytes | (upper >>> 2); // 0x80 >>> 2 is 0x20, the case bit
  }

  /**
   * DNSSEC canonical order (RFC 4034 6.1): labels compared from the root down, each as lower-cased
   * unsigned bytes, a name sorting before its subdomains. Consistent with equals.
   */
  @Override
  public int compareTo(DnsName o) {
    int i = labelOffsets.length - 1;
    int j = o.labelOffsets.length - 1;
    for (; i >= 0 && j >= 0; i--, j--) {
      int c = compareLabels(wire, labelOffsets[i], o.wire, o.labelOffsets[j]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(labelOffsets.length, o.labelOffsets.length);
  }

  private static int compareLabels(byte[] a, int aOffset, byte[] b, int bOffset) {
    int aLen = a[aOffset];
    int bLen = b[bOffset];
    for (int k = 1; k <= Math.min(aLen, bLen); k++) {
      int c = Integer.compare(asciiLower(a[aOffset + k]), asciiLower(b[bOffset + k]));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(aLen, bLen);
  }

  /** The presentation form. */
  @Override
  public String toString() {
    return presentation();
  }
}
