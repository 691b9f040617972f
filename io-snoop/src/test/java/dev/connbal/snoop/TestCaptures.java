package dev.connbal.snoop;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

/**
 * Builds captures for tests, in every format connbal reads: realistic Ethernet/IPv4 traffic and
 * adversarial payloads.
 */
final class TestCaptures {
  static final long T0 = 1_700_000_000L;

  /** A format and the variant of it a capture is written in. */
  enum Format {
    SNOOP,
    /** Little-endian, microsecond pcap. */
    PCAP,
    /** Big-endian, nanosecond pcap. */
    PCAP_NANOSECONDS_BIG_ENDIAN,
    /**
     * pcapng with sections of both byte orders, interfaces of several link types and timestamp
     * resolutions, Enhanced, obsolete and Simple Packet Blocks, and blocks connbal skips.
     */
    PCAPNG
  }

  /** Where generated packets go. */
  private interface Out {
    void packet(long seconds, int micros, int original, int drops, byte[] frame);

    int size();

    byte[] bytes();
  }

  private TestCaptures() {}

  /** Writes {@code count} frames of realistic traffic, each at most {@code maxFrame} bytes. */
  static byte[] realistic(long seed, int count, int maxFrame) {
    return realistic(Format.SNOOP, seed, count, maxFrame);
  }

  /** {@link #realistic(long, int, int)} in {@code format}. */
  static byte[] realistic(Format format, long seed, int count, int maxFrame) {
    Random rnd = new Random(seed);
    return write(format, rnd, count, maxFrame, false);
  }

  /**
   * Like {@link #realistic} but about a third of the frames carry bytes that look like records:
   * copies of valid record headers, and whole captures of the same format whose record chain ends
   * exactly where the packet ends (so it runs into the real chain) or two bytes before.
   */
  static byte[] adversarial(long seed, int count, int maxFrame) {
    return adversarial(Format.SNOOP, seed, count, maxFrame);
  }

  /** {@link #adversarial(long, int, int)} in {@code format}. */
  static byte[] adversarial(Format format, long seed, int count, int maxFrame) {
    Random rnd = new Random(seed);
    return write(format, rnd, count, maxFrame, true);
  }

  private static Out open(Format format, Random rnd) {
    return switch (format) {
      case SNOOP -> snoop();
      case PCAP -> pcap(new PcapWriter(ByteOrder.LITTLE_ENDIAN, false, LinkTypes.ETHERNET));
      case PCAP_NANOSECONDS_BIG_ENDIAN ->
          pcap(new PcapWriter(ByteOrder.BIG_ENDIAN, true, LinkTypes.ETHERNET));
      case PCAPNG -> new PcapngOut(new Random(rnd.nextLong()));
    };
  }

  private static Out snoop() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    SnoopWriter w;
    try {
      w = SnoopWriter.ethernet(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Out() {
      @Override
      public void packet(long seconds, int micros, int original, int drops, byte[] frame) {
        try {
          w.write(seconds, micros, original, drops, frame);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }

      @Override
      public int size() {
        return bytes.size();
      }

      @Override
      public byte[] bytes() {
        return bytes.toByteArray();
      }
    };
  }

  private static Out pcap(PcapWriter w) {
    return new Out() {
      int size = 24;

      @Override
      public void packet(long seconds, int micros, int original, int drops, byte[] frame) {
        w.writeMicros(seconds, micros, original, frame);
        size += 16 + frame.length;
      }

      @Override
      public int size() {
        return size;
      }

      @Override
      public byte[] bytes() {
        return w.bytes();
      }
    };
  }

  /**
   * pcapng of several sections: each flips the byte order and defines interfaces of different link
   * types and resolutions; packets go to random interfaces in all three packet blocks, with
   * statistics, name resolution and custom blocks between them.
   */
  private static final class PcapngOut implements Out {
    private static final int[][] INTERFACES = {
      {LinkTypes.ETHERNET, 0, PcapngWriter.TSRESOL_DEFAULT},
      {LinkTypes.LINUX_SLL, 262144, 9},
      {LinkTypes.LINUX_SLL2, 0, 0x94},
      {LinkTypes.RAW, 65535, 3}
    };

    private final Random rnd;
    private final PcapngWriter w = new PcapngWriter();
    private ByteOrder order = ByteOrder.BIG_ENDIAN;
    private int interfaces;
    private int firstInterface;
    private int packets;

    PcapngOut(Random rnd) {
      this.rnd = rnd;
      newSection();
    }

    private void newSection() {
      order = order == ByteOrder.BIG_ENDIAN ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
      w.section(order);
      firstInterface = rnd.nextInt(INTERFACES.length);
      interfaces = 1 + rnd.nextInt(3);
      for (int k = 0; k < interfaces; k++) {
        int[] spec = INTERFACES[(firstInterface + k) % INTERFACES.length];
        w.interfaceBlock(spec[0], spec[1], spec[2]);
      }
    }

    @Override
    public void packet(long seconds, int micros, int original, int drops, byte[] frame) {
      if (packets > 0 && rnd.nextInt(300) == 0) {
        newSection();
      }
      packets++;
      int pick = rnd.nextInt(20);
      if (pick == 0) {
        w.other(5, new byte[20 + 4 * rnd.nextInt(4)]); // interface statistics
      } else if (pick == 1) {
        w.other(0x40000BAD, new byte[4 + rnd.nextInt(40)]); // custom, not to be copied
      } else if (pick == 2 && interfaces < 4) {
        // An interface defined between packets, as when capturing starts on another one.
        int[] spec = INTERFACES[(firstInterface + interfaces) % INTERFACES.length];
        w.interfaceBlock(spec[0], spec[1], spec[2]);
        interfaces++;
      }
      int iface = rnd.nextInt(interfaces);
      int tsresol = INTERFACES[(firstInterface + iface) % INTERFACES.length][2];
      long units = PcapngWriter.units(seconds, micros, tsresol);
      int kind = rnd.nextInt(10);
      int snap = INTERFACES[firstInterface % INTERFACES.length][1];
      if (kind == 0 && (snap == 0 || frame.length <= snap)) {
        w.simple(original, frame);
      } else if (kind == 1) {
        w.obsolete(iface, drops & 0xffff, units, original, frame);
      } else {
        w.enhanced(iface, units, original, frame, kind == 2 ? "packet " + packets : null);
      }
    }

    @Override
    public int size() {
      return w.bytes().length;
    }

    @Override
    public byte[] bytes() {
      return w.bytes();
    }
  }

  private static byte[] write(
      Format format, Random rnd, int count, int maxFrame, boolean adversarial) {
    Out w = open(format, rnd);
    long micros = 0;
    for (int n = 0; n < count; n++) {
      micros += 1 + rnd.nextInt(20_000);
      byte[] frame;
      int pick = adversarial ? rnd.nextInt(6) : 5;
      if (pick == 0) {
        frame = withEmbeddedCapture(format, rnd, maxFrame, true);
      } else if (pick == 1) {
        frame = withEmbeddedCapture(format, rnd, maxFrame, false);
      } else if (pick == 2) {
        frame = withHeaderCopies(rnd, maxFrame);
      } else {
        frame = ethernetFrame(rnd, 60 + rnd.nextInt(Math.max(1, maxFrame - 60)));
      }
      int snap = frame.length;
      int original = rnd.nextInt(10) == 0 ? snap + rnd.nextInt(100) : snap;
      w.packet(T0 + micros / 1_000_000, (int) (micros % 1_000_000), original, n / 7, frame);
    }
    return w.bytes();
  }

  /** An Ethernet II / IPv4 / UDP or TCP frame of exactly {@code length} (>= 54) bytes. */
  static byte[] ethernetFrame(Random rnd, int length) {
    byte[] f = new byte[Math.max(54, length)];
    rnd.nextBytes(f);
    ByteBuffer b = ByteBuffer.wrap(f);
    b.position(12);
    b.putShort((short) 0x0800);
    b.put((byte) 0x45).put((byte) 0).putShort((short) (f.length - 14));
    b.position(14 + 9);
    b.put(rnd.nextBoolean() ? (byte) 17 : (byte) 6);
    return f;
  }

  /** A 24-byte record header that passes the rules, with plausible time. */
  static byte[] plausibleHeader(Random rnd, int maxFrame) {
    int included = rnd.nextInt(Math.max(1, maxFrame));
    int recordLength = SnoopWriter.paddedRecordLength(included);
    ByteBuffer b = ByteBuffer.allocate(24);
    b.putInt(included + rnd.nextInt(3))
        .putInt(included)
        .putInt(recordLength)
        .putInt(0)
        .putInt((int) (T0 + rnd.nextInt(100)))
        .putInt(rnd.nextInt(1_000_000));
    return b.array();
  }

  private static byte[] withHeaderCopies(Random rnd, int maxFrame) {
    byte[] f = ethernetFrame(rnd, 60 + rnd.nextInt(Math.max(1, maxFrame - 60)));
    int copies = 1 + rnd.nextInt(4);
    for (int c = 0; c < copies && f.length >= 42 + 24; c++) {
      byte[] h = plausibleHeader(rnd, maxFrame);
      int at = 42 + rnd.nextInt(f.length - 42 - 24 + 1);
      System.arraycopy(h, 0, f, at, 24);
    }
    return f;
  }

  /**
   * A UDP frame whose payload is a whole capture of {@code format}. With {@code aligned}, the
   * embedded records end exactly at the end of the frame (for snoop, whose records are padded to 4,
   * the frame length is a multiple of 4), so the embedded record chain continues into the next real
   * record.
   */
  private static byte[] withEmbeddedCapture(
      Format format, Random rnd, int maxFrame, boolean aligned) {
    int budget = maxFrame - 44;
    Out w = open(format, rnd);
    long micros = rnd.nextInt(1_000_000);
    while (true) {
      int len = 14 + rnd.nextInt(60);
      int before = w.size();
      if (before + 160 + len > budget || (before > 200 && rnd.nextInt(8) == 0)) {
        break;
      }
      micros += rnd.nextInt(5000);
      byte[] frame = new byte[len];
      rnd.nextBytes(frame);
      w.packet(T0 + micros / 1_000_000, (int) (micros % 1_000_000), len, 0, frame);
    }
    byte[] capture = w.bytes();
    int prefix = aligned ? 44 : 42;
    byte[] f = ethernetFrame(rnd, 54);
    byte[] frame = new byte[prefix + capture.length];
    System.arraycopy(f, 0, frame, 0, 42);
    System.arraycopy(capture, 0, frame, prefix, capture.length);
    ByteBuffer.wrap(frame).putShort(16, (short) (frame.length - 14));
    return frame;
  }
}
