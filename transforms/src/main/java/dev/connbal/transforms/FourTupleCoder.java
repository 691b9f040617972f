package dev.connbal.transforms;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.util.VarInt;

/** Deterministic coder for {@link FourTuple}, usable as a shuffle key. */
final class FourTupleCoder extends AtomicCoder<FourTuple> {
  private static final FourTupleCoder INSTANCE = new FourTupleCoder();

  static FourTupleCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(FourTuple t, OutputStream out) throws IOException {
    VarInt.encode(t.lowIp(), out);
    VarInt.encode(t.lowPort(), out);
    VarInt.encode(t.highIp(), out);
    VarInt.encode(t.highPort(), out);
  }

  @Override
  public FourTuple decode(InputStream in) throws IOException {
    return new FourTuple(
        VarInt.decodeInt(in), VarInt.decodeInt(in), VarInt.decodeInt(in), VarInt.decodeInt(in));
  }

  @Override
  public void verifyDeterministic() {}

  @Override
  public boolean consistentWithEquals() {
    return true;
  }
}
