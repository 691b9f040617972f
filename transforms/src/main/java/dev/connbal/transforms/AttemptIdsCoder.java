package dev.connbal.transforms;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.util.VarInt;

/**
 * Deterministic coder for {@link AttemptIds}: the count, then the sorted entries as varint
 * differences (attempts of one client mostly differ in the low bits).
 */
final class AttemptIdsCoder extends BlockCoder<AttemptIds> {
  private static final AttemptIdsCoder INSTANCE = new AttemptIdsCoder();

  static AttemptIdsCoder of() {
    return INSTANCE;
  }

  @Override
  protected void encodeBlock(AttemptIds ids, OutputStream out) throws IOException {
    long[] entries = ids.entries();
    VarInt.encode(entries.length, out);
    long previous = 0;
    for (long e : entries) {
      VarInt.encode(e - previous, out);
      previous = e;
    }
  }

  @Override
  protected AttemptIds decodeBlock(InputStream in) throws IOException {
    int n = VarInt.decodeInt(in);
    // Every entry takes at least a byte: a corrupt count must not allocate a huge array.
    if (n < 0 || n > in.available()) {
      throw new CoderException("attempt count " + n + " with " + in.available() + " bytes left");
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
  protected int sizeHint(AttemptIds ids) {
    return 5 + 6 * ids.entries().length;
  }
}
