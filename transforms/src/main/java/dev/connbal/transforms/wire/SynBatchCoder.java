package dev.connbal.transforms.wire;

import dev.connbal.transforms.events.SynBatch;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.util.VarInt;

/**
 * Deterministic coder for {@link SynBatch}: the SYN count and whether the batch holds IPv6 (its low
 * bit), then per SYN its (client, server) pair, its port and attempt, and its time, as 8 big-endian
 * bytes each: 24 bytes per SYN of an all-IPv4 batch, written into and read from one array a long at
 * a time. A batch with IPv6 writes the pair as its four address halves: 48 bytes per SYN.
 *
 * <p>Why fixed-width: the Direct runner copies the batches grouped under a join key through this
 * coder each time another bundle of them arrives, so a batch is encoded and decoded many times
 * over; a long per field costs a store or a load, where a varint costs a branch per byte.
 */
public final class SynBatchCoder extends BlockCoder<SynBatch> {
  private static final SynBatchCoder INSTANCE = new SynBatchCoder();

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  public static SynBatchCoder of() {
    return INSTANCE;
  }

  /** Longs per SYN: pair (one, or four address halves), port and attempt, time. */
  private static int longsPerSyn(boolean v4) {
    return v4 ? 3 : 6;
  }

  @Override
  protected void encodeBlock(SynBatch batch, OutputStream out) throws IOException {
    int n = batch.size();
    boolean v4 = batch.isV4();
    VarInt.encode(2L * n + (v4 ? 0 : 1), out);
    int perSyn = longsPerSyn(v4) * Long.BYTES;
    byte[] bytes = new byte[n * perSyn];
    for (int i = 0, at = 0; i < n; i++, at += perSyn) {
      if (v4) {
        LONGS.set(bytes, at, batch.v4Pair(i));
      } else {
        LONGS.set(bytes, at, batch.clientHigh(i));
        LONGS.set(bytes, at + Long.BYTES, batch.clientLow(i));
        LONGS.set(bytes, at + 2 * Long.BYTES, batch.serverHigh(i));
        LONGS.set(bytes, at + 3 * Long.BYTES, batch.serverLow(i));
      }
      LONGS.set(bytes, at + perSyn - 2 * Long.BYTES, batch.portAttempt(i));
      LONGS.set(bytes, at + perSyn - Long.BYTES, batch.time(i));
    }
    out.write(bytes);
  }

  @Override
  protected SynBatch decodeBlock(InputStream in) throws IOException {
    long head = VarInt.decodeLong(in);
    boolean v4 = (head & 1) == 0;
    long n = head >>> 1;
    int perSyn = longsPerSyn(v4) * Long.BYTES;
    byte[] bytes = in.readAllBytes();
    if (n > Integer.MAX_VALUE || n * perSyn != bytes.length) {
      throw new CoderException("SYN count " + n + " with " + bytes.length + " bytes");
    }
    int count = (int) n;
    int pairLongs = v4 ? 1 : 4;
    long[] pairs = new long[count * pairLongs];
    long[] portAttempts = new long[count];
    long[] times = new long[count];
    for (int i = 0, at = 0; i < count; i++, at += perSyn) {
      for (int k = 0; k < pairLongs; k++) {
        pairs[pairLongs * i + k] = (long) LONGS.get(bytes, at + k * Long.BYTES);
      }
      portAttempts[i] = (long) LONGS.get(bytes, at + perSyn - 2 * Long.BYTES);
      times[i] = (long) LONGS.get(bytes, at + perSyn - Long.BYTES);
    }
    return v4
        ? SynBatch.ofV4(pairs, portAttempts, times)
        : SynBatch.ofAddresses(pairs, portAttempts, times);
  }

  @Override
  protected int sizeHint(SynBatch batch) {
    return 10 + longsPerSyn(batch.isV4()) * Long.BYTES * batch.size();
  }
}
