package dev.connbal.transforms;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.util.VarInt;

/** Deterministic coder for {@link AttemptKey}, usable as a shuffle key. */
final class AttemptKeyCoder extends AtomicCoder<AttemptKey> {
  private static final AttemptKeyCoder INSTANCE = new AttemptKeyCoder();

  static AttemptKeyCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(AttemptKey k, OutputStream out) throws IOException {
    VarInt.encode(k.client(), out);
    VarInt.encode(k.clientPort(), out);
    VarInt.encode(k.backend(), out);
    VarInt.encode(k.port(), out);
    VarInt.encode(k.isn(), out);
  }

  @Override
  public AttemptKey decode(InputStream in) throws IOException {
    return new AttemptKey(
        VarInt.decodeInt(in),
        VarInt.decodeInt(in),
        VarInt.decodeInt(in),
        VarInt.decodeInt(in),
        VarInt.decodeLong(in));
  }

  @Override
  public void verifyDeterministic() {}

  @Override
  public boolean consistentWithEquals() {
    return true;
  }
}
