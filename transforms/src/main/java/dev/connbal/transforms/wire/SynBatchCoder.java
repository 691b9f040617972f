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
 * Deterministic coder for {@link SynBatch}: the SYN count, then per SYN its (client, server) pair,
 * its port and attempt, and its time, as 8 big-endian bytes each: 24 bytes per SYN, written into
 * and read from one array a long at a time.
 *
 * <p>Why fixed-width: the Direct runner copies the batches grouped under a join key through this
 * coder each time another bundle of them arrives, so a batch is encoded and decoded many times
 * over; a long per field costs a store or a load, where a varint costs a branch per byte.
 */
public final class SynBatchCoder extends BlockCoder<SynBatch> {
  private static final SynBatchCoder INSTANCE = new SynBatchCoder();

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  /** Pair, port and attempt, time. */
  private static final int BYTES_PER_SYN = 3 * Long.BYTES;

  public static SynBatchCoder of() {
    return INSTANCE;
  }

  @Override
  protected void encodeBlock(SynBatch batch, OutputStream out) throws IOException {
    int n = batch.size();
    VarInt.encode(n, out);
    byte[] bytes = new byte[n * BYTES_PER_SYN];
    for (int i = 0, at = 0; i < n; i++, at += BYTES_PER_SYN) {
      LONGS.set(bytes, at, batch.pair(i));
      LONGS.set(bytes, at + Long.BYTES, batch.portAttempt(i));
      LONGS.set(bytes, at + 2 * Long.BYTES, batch.time(i));
    }
    out.write(bytes);
  }

  @Override
  protected SynBatch decodeBlock(InputStream in) throws IOException {
    int n = VarInt.decodeInt(in);
    byte[] bytes = in.readAllBytes();
    if (n < 0 || (long) n * BYTES_PER_SYN != bytes.length) {
      throw new CoderException("SYN count " + n + " with " + bytes.length + " bytes");
    }
    long[] pairs = new long[n];
    long[] portAttempts = new long[n];
    long[] times = new long[n];
    for (int i = 0, at = 0; i < n; i++, at += BYTES_PER_SYN) {
      pairs[i] = (long) LONGS.get(bytes, at);
      portAttempts[i] = (long) LONGS.get(bytes, at + Long.BYTES);
      times[i] = (long) LONGS.get(bytes, at + 2 * Long.BYTES);
    }
    return new SynBatch(pairs, portAttempts, times);
  }

  @Override
  protected int sizeHint(SynBatch batch) {
    return 5 + BYTES_PER_SYN * batch.size();
  }
}
