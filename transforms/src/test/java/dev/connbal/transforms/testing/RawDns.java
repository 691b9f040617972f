package dev.connbal.transforms.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes DNS messages byte by byte, for the hostile cases no DNS library will produce: labels
 * holding any byte, compression pointers anywhere (loops, forward, out of range), counts that
 * disagree with the records present, rdata of the wrong length.
 *
 * <pre>{@code
 * byte[] msg = RawDns.header(0x1234, RawDns.FLAGS_RESPONSE, 1, 1, 0, 0)
 *     .name("example.com").u16(1).u16(1)              // question
 *     .pointer(12).u16(1).u16(1).u32(60).u16(4).bytes(10, 0, 0, 1)  // answer
 *     .build();
 * }</pre>
 */
public final class RawDns {
  /** Flags of a standard query with RD set. */
  public static final int FLAGS_QUERY = 0x0100;

  /** Flags of a NOERROR response with RD and RA set. */
  public static final int FLAGS_RESPONSE = 0x8180;

  /** Offset of the question name in every message (right after the 12-byte header). */
  public static final int QUESTION_OFFSET = 12;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private RawDns() {}

  /** An empty message, for writing even the header by hand. */
  public static RawDns empty() {
    return new RawDns();
  }

  /** Starts a message with the 12-byte header. Counts are written as given, not checked. */
  public static RawDns header(
      int id, int flags, int qdcount, int ancount, int nscount, int arcount) {
    return new RawDns().u16(id).u16(flags).u16(qdcount).u16(ancount).u16(nscount).u16(arcount);
  }

  /** A query header (QDCOUNT 1) followed by the question {@code name}, {@code qtype}, class IN. */
  public static RawDns query(int id, String name, int qtype) {
    return header(id, FLAGS_QUERY, 1, 0, 0, 0).name(name).u16(qtype).u16(1);
  }

  /**
   * Uncompressed name from dotted ASCII labels ("a.b.c", trailing dot optional), root-terminated.
   */
  public RawDns name(String dotted) {
    String trimmed = dotted.endsWith(".") ? dotted.substring(0, dotted.length() - 1) : dotted;
    if (!trimmed.isEmpty()) {
      for (String label : trimmed.split("\\.", -1)) {
        label(label.getBytes(StandardCharsets.ISO_8859_1));
      }
    }
    return root();
  }

  /** One label: a length byte (must be < 64 to be a normal label) and the bytes, unchecked. */
  public RawDns label(byte[] bytes) {
    out.write(bytes.length);
    out.write(bytes, 0, bytes.length);
    return this;
  }

  /** One label of ISO-8859-1 characters (so any byte 0..255 can be written as a char). */
  public RawDns label(String chars) {
    return label(chars.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** The root label (a zero byte) that ends an uncompressed name. */
  public RawDns root() {
    out.write(0);
    return this;
  }

  /** A compression pointer (0xC000 | offset); {@code offset} is masked to 14 bits. */
  public RawDns pointer(int offset) {
    return u16(0xC000 | (offset & 0x3FFF));
  }

  public RawDns u8(int value) {
    out.write(value);
    return this;
  }

  public RawDns u16(int value) {
    out.write(value >>> 8);
    out.write(value);
    return this;
  }

  public RawDns u32(long value) {
    return u16((int) (value >>> 16)).u16((int) value);
  }

  /** Raw bytes given as ints (0..255), for rdata such as {@code bytes(10, 0, 0, 1)}. */
  public RawDns bytes(int... values) {
    for (int v : values) {
      out.write(v);
    }
    return this;
  }

  /** Raw bytes. */
  public RawDns bytes(byte[] values) {
    out.write(values, 0, values.length);
    return this;
  }

  /** Offset the next byte will be written at (for pointers to it). */
  public int position() {
    return out.size();
  }

  public byte[] build() {
    return out.toByteArray();
  }
}
