package dev.connbal.snoop;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Writes pcapng files for tests: sections of either byte order and every block connbal reads. */
final class PcapngWriter {
  static final int TSRESOL_DEFAULT = -1;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private ByteOrder order = ByteOrder.LITTLE_ENDIAN;

  /** Starts a section (with an application option, which readers skip). */
  PcapngWriter section(ByteOrder order) {
    this.order = order;
    byte[] app = "connbal test".getBytes(StandardCharsets.US_ASCII);
    ByteBuffer body = body(16 + option(app.length) + 4);
    body.putInt(PcapngBlockRules.BYTE_ORDER_MAGIC).putShort((short) 1).putShort((short) 0);
    body.putLong(-1);
    putOption(body, 4, app);
    body.putInt(0); // opt_endofopt
    return block(PcapngBlockRules.SECTION_HEADER, body);
  }

  /** An interface; {@code tsresol} is the option's byte, or {@link #TSRESOL_DEFAULT} for none. */
  PcapngWriter interfaceBlock(int linkType, int snapLength, int tsresol) {
    byte[] name = "lo".getBytes(StandardCharsets.US_ASCII);
    int options = option(name.length) + (tsresol == TSRESOL_DEFAULT ? 0 : option(1)) + 4;
    ByteBuffer body = body(8 + options);
    body.putShort((short) linkType).putShort((short) 0).putInt(snapLength);
    putOption(body, 2, name);
    if (tsresol != TSRESOL_DEFAULT) {
      putOption(body, PcapngFileReader.OPTION_TSRESOL, new byte[] {(byte) tsresol});
    }
    body.putInt(0);
    return block(1, body);
  }

  /** An Enhanced Packet Block, with a comment option when {@code comment} is not null. */
  PcapngWriter enhanced(int iface, long units, int originalLength, byte[] frame, String comment) {
    byte[] c = comment == null ? null : comment.getBytes(StandardCharsets.UTF_8);
    int options = c == null ? 0 : option(c.length) + 4;
    ByteBuffer body = body(20 + padded(frame.length) + options);
    body.putInt(iface).putInt((int) (units >>> 32)).putInt((int) units);
    body.putInt(frame.length).putInt(originalLength).put(frame);
    body.position(20 + padded(frame.length));
    if (c != null) {
      putOption(body, 1, c);
      body.putInt(0);
    }
    return block(6, body);
  }

  /** An obsolete Packet Block. */
  PcapngWriter obsolete(int iface, int drops, long units, int originalLength, byte[] frame) {
    ByteBuffer body = body(20 + padded(frame.length));
    body.putShort((short) iface).putShort((short) drops);
    body.putInt((int) (units >>> 32)).putInt((int) units);
    body.putInt(frame.length).putInt(originalLength).put(frame);
    return block(2, body);
  }

  /** A Simple Packet Block (interface 0; its captured length is what the block holds). */
  PcapngWriter simple(int originalLength, byte[] frame) {
    ByteBuffer body = body(4 + padded(frame.length));
    body.putInt(originalLength).put(frame);
    return block(3, body);
  }

  /** A block connbal skips (statistics, name resolution, custom...) with {@code body}. */
  PcapngWriter other(int type, byte[] content) {
    ByteBuffer body = body(padded(content.length));
    body.put(content);
    return block(type, body);
  }

  /** Raw bytes, e.g. an embedded capture or garbage. */
  PcapngWriter raw(byte[] bytes) {
    out.writeBytes(bytes);
    return this;
  }

  byte[] bytes() {
    return out.toByteArray();
  }

  /** Time units of {@code seconds} and {@code micros} at the {@code if_tsresol} byte. */
  static long units(long seconds, int micros, int tsresol) {
    if (tsresol == TSRESOL_DEFAULT) {
      tsresol = 6;
    }
    int e = tsresol & 0x7f;
    if ((tsresol & 0x80) != 0) {
      return (seconds << e) + (((long) micros << e) + 999_999) / 1_000_000;
    }
    long perSecond = 1;
    for (int k = 0; k < e; k++) {
      perSecond *= 10;
    }
    long fraction = e >= 6 ? micros * (perSecond / 1_000_000) : micros / (1_000_000 / perSecond);
    return seconds * perSecond + fraction;
  }

  private ByteBuffer body(int length) {
    return ByteBuffer.allocate(length).order(order);
  }

  private PcapngWriter block(int type, ByteBuffer body) {
    int total = 12 + body.capacity();
    ByteBuffer b = ByteBuffer.allocate(total).order(order);
    b.putInt(type).putInt(total).put(body.array()).putInt(total);
    out.writeBytes(b.array());
    return this;
  }

  private static int option(int valueLength) {
    return 4 + padded(valueLength);
  }

  private static void putOption(ByteBuffer b, int code, byte[] value) {
    b.putShort((short) code).putShort((short) value.length).put(value);
    b.position(b.position() + padded(value.length) - value.length);
  }

  static int padded(int n) {
    return (n + 3) & ~3;
  }
}
