package dev.connbal.transforms;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.util.VarInt;

/**
 * Deterministic coder for {@link AttemptIds}: the count, then the sorted entries as varint
 * differences (attempts of one client mostly differ in the low bits).
 */
final class AttemptIdsCoder extends AtomicCoder<AttemptIds> {
  private static final AttemptIdsCoder INSTANCE = new AttemptIdsCoder();

  static AttemptIdsCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(AttemptIds ids, OutputStream out) throws IOException {
    long[] entries = ids.entries();
    VarInt.encode(entries.length, out);
    long previous = 0;
    for (long e : entries) {
      VarInt.encode(e - previous, out);
      previous = e;
    }
  }

  @Override
  public AttemptIds decode(InputStream in) throws IOException {
    int n = VarInt.decodeInt(in);
    if (n < 0) {
      throw new CoderException("negative attempt count " + n);
    }
    long[] entries = new long[n];
    long previous = 0;
    for (int i = 0; i < n; i++) {
      previous += VarInt.decodeLong(in);
      entries[i] = previous;
    }
    return AttemptIds.of(entries);
  }

  @Override
  public void verifyDeterministic() {}
}
