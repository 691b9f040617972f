package dev.connbal.transforms.wire;

import dev.connbal.transforms.events.SynBatch;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.util.VarInt;

/**
 * Deterministic coder for {@link SynBatch}: the SYN count, then per SYN its (client, server) pair
 * and its port and attempt as 8 big-endian bytes each, and its time as a zigzag varint difference
 * to the SYN before (SYNs of a range are close in time): about 19 bytes per SYN, written into one
 * array without a call per byte.
 */
public final class SynBatchCoder extends BlockCoder<SynBatch> {
  private static final SynBatchCoder INSTANCE = new SynBatchCoder();

  /** Pair, port and attempt, and the longest varint of a time difference. */
  private static final int MAX_BYTES_PER_SYN = 8 + 8 + 10;

  public static SynBatchCoder of() {
    return INSTANCE;
  }

  @Override
  protected void encodeBlock(SynBatch batch, OutputStream out) throws IOException {
    int n = batch.size();
    VarInt.encode(n, out);
    byte[] bytes = new byte[n * MAX_BYTES_PER_SYN];
    int at = 0;
    long previousTime = 0;
    for (int i = 0; i < n; i++) {
      at = putLong(bytes, at, batch.pair(i));
      at = putLong(bytes, at, batch.portAttempt(i));
      long delta = batch.time(i) - previousTime;
      previousTime = batch.time(i);
      for (long zigzag = (delta << 1) ^ (delta >> 63); ; zigzag >>>= 7) {
        if ((zigzag & ~0x7FL) == 0) {
          bytes[at++] = (byte) zigzag;
          break;
        }
        bytes[at++] = (byte) ((zigzag & 0x7F) | 0x80);
      }
    }
    out.write(bytes, 0, at);
  }

  @Override
  protected SynBatch decodeBlock(InputStream in) throws IOException {
    int n = VarInt.decodeInt(in);
    byte[] bytes = in.readAllBytes();
    // Every SYN takes at least 17 bytes: a corrupt count must not allocate huge arrays.
    if (n < 0 || n > bytes.length / 17) {
      throw new CoderException("SYN count " + n + " with " + bytes.length + " bytes left");
    }
    long[] pairs = new long[n];
    long[] portAttempts = new long[n];
    long[] times = new long[n];
    int at = 0;
    long previousTime = 0;
    for (int i = 0; i < n; i++) {
      if (bytes.length - at < 17) {
        throw new CoderException("SYN " + i + " of " + n + " cut short");
      }
      pairs[i] = getLong(bytes, at);
      portAttempts[i] = getLong(bytes, at + 8);
      at += 16;
      long zigzag = 0;
      for (int shift = 0; ; shift += 7) {
        if (at == bytes.length || shift > 63) {
          throw new CoderException("time of SYN " + i + " of " + n + " cut short or too long");
        }
        byte b = bytes[at++];
        zigzag |= (long) (b & 0x7F) << shift;
        if (b >= 0) {
          break;
        }
      }
      previousTime += (zigzag >>> 1) ^ -(zigzag & 1);
      times[i] = previousTime;
    }
    if (at != bytes.length) {
      throw new CoderException((bytes.length - at) + " bytes left over after " + n + " SYNs");
    }
    return new SynBatch(pairs, portAttempts, times);
  }

  private static int putLong(byte[] bytes, int at, long v) {
    for (int shift = 56; shift >= 0; shift -= 8) {
      bytes[at++] = (byte) (v >>> shift);
    }
    return at;
  }

  private static long getLong(byte[] bytes, int at) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (bytes[at + i] & 0xFF);
    }
    return v;
  }

  @Override
  protected int sizeHint(SynBatch batch) {
    return 5 + 20 * batch.size();
  }
}
