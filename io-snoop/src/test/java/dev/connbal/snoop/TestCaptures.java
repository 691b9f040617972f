package dev.connbal.snoop;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Random;

/** Builds snoop captures for tests: realistic Ethernet/IPv4 traffic and adversarial payloads. */
final class TestCaptures {
  static final long T0 = 1_700_000_000L;

  private TestCaptures() {}

  /** Writes {@code count} frames of realistic traffic, each at most {@code maxFrame} bytes. */
  static byte[] realistic(long seed, int count, int maxFrame) {
    Random rnd = new Random(seed);
    return write(rnd, count, maxFrame, false);
  }

  /**
   * Like {@link #realistic} but about a third of the frames carry bytes that look like snoop
   * records: copies of valid record headers, and whole snoop files whose record chain ends exactly
   * where the packet ends (so it runs into the real chain) or two bytes before.
   */
  static byte[] adversarial(long seed, int count, int maxFrame) {
    Random rnd = new Random(seed);
    return write(rnd, count, maxFrame, true);
  }

  private static byte[] write(Random rnd, int count, int maxFrame, boolean adversarial) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (SnoopWriter w = SnoopWriter.ethernet(out)) {
      long micros = 0;
      for (int n = 0; n < count; n++) {
        micros += 1 + rnd.nextInt(20_000);
        byte[] frame;
        int pick = adversarial ? rnd.nextInt(6) : 5;
        if (pick == 0) {
          frame = withEmbeddedCapture(rnd, maxFrame, true);
        } else if (pick == 1) {
          frame = withEmbeddedCapture(rnd, maxFrame, false);
        } else if (pick == 2) {
          frame = withHeaderCopies(rnd, maxFrame);
        } else {
          frame = ethernetFrame(rnd, 60 + rnd.nextInt(Math.max(1, maxFrame - 60)));
        }
        int snap = frame.length;
        int original = rnd.nextInt(10) == 0 ? snap + rnd.nextInt(100) : snap;
        w.write(T0 + micros / 1_000_000, (int) (micros % 1_000_000), original, n / 7, frame);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
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
   * A UDP frame whose payload is a whole snoop file. With {@code aligned}, the frame length is a
   * multiple of 4 and the embedded records end exactly at the end of the frame, so the embedded
   * record chain continues into the next real record.
   */
  private static byte[] withEmbeddedCapture(Random rnd, int maxFrame, boolean aligned) {
    int budget = maxFrame - 44 - 16;
    ByteArrayOutputStream inner = new ByteArrayOutputStream();
    try (SnoopWriter w = SnoopWriter.ethernet(inner)) {
      int used = 0;
      long micros = rnd.nextInt(1_000_000);
      while (true) {
        int len = 14 + rnd.nextInt(60);
        int rec = SnoopWriter.paddedRecordLength(len);
        if (used + rec > budget || (used > 0 && rnd.nextInt(8) == 0)) {
          break;
        }
        micros += rnd.nextInt(5000);
        byte[] frame = new byte[len];
        rnd.nextBytes(frame);
        w.write(T0 + micros / 1_000_000, (int) (micros % 1_000_000), frame);
        used += rec;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] capture = inner.toByteArray();
    int prefix = aligned ? 44 : 42;
    byte[] f = ethernetFrame(rnd, 54);
    byte[] frame = new byte[prefix + capture.length];
    System.arraycopy(f, 0, frame, 0, 42);
    System.arraycopy(capture, 0, frame, prefix, capture.length);
    ByteBuffer.wrap(frame).putShort(16, (short) (frame.length - 14));
    return frame;
  }
}
