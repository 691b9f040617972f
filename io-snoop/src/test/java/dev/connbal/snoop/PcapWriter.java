package dev.connbal.snoop;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Writes pcap files for tests: either byte order, microsecond or nanosecond magic. */
final class PcapWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteOrder order;
  private final boolean nanoseconds;

  PcapWriter(ByteOrder order, boolean nanoseconds, int linkType) {
    this.order = order;
    this.nanoseconds = nanoseconds;
    ByteBuffer h = ByteBuffer.allocate(24).order(order);
    h.putInt(nanoseconds ? PcapFileReader.MAGIC_NANOSECONDS : PcapFileReader.MAGIC_MICROSECONDS)
        .putShort((short) 2)
        .putShort((short) 4)
        .putInt(0)
        .putInt(0)
        .putInt(262144)
        .putInt(linkType);
    out.writeBytes(h.array());
  }

  /** Appends a record; {@code fraction} is microseconds or nanoseconds as the magic says. */
  PcapWriter write(long seconds, long fraction, int originalLength, byte[] frame) {
    ByteBuffer h = ByteBuffer.allocate(16).order(order);
    h.putInt((int) seconds).putInt((int) fraction).putInt(frame.length).putInt(originalLength);
    out.writeBytes(h.array());
    out.writeBytes(frame);
    return this;
  }

  /** Appends a record at {@code micros} microseconds past {@code seconds}. */
  PcapWriter writeMicros(long seconds, int micros, int originalLength, byte[] frame) {
    return write(seconds, nanoseconds ? micros * 1000L + 999 : micros, originalLength, frame);
  }

  byte[] bytes() {
    return out.toByteArray();
  }
}
