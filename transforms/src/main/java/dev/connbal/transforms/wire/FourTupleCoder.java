package dev.connbal.transforms.wire;

import dev.connbal.transforms.keys.FourTuple;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.util.VarInt;

/** Deterministic coder for {@link FourTuple}, usable as a shuffle key. */
public final class FourTupleCoder extends BlockCoder<FourTuple> {
  private static final FourTupleCoder INSTANCE = new FourTupleCoder();

  public static FourTupleCoder of() {
    return INSTANCE;
  }

  @Override
  protected void encodeBlock(FourTuple t, OutputStream out) throws IOException {
    VarInt.encode(t.lowIp(), out);
    VarInt.encode(t.lowPort(), out);
    VarInt.encode(t.highIp(), out);
    VarInt.encode(t.highPort(), out);
  }

  @Override
  protected FourTuple decodeBlock(InputStream in) throws IOException {
    return new FourTuple(
        VarInt.decodeInt(in), VarInt.decodeInt(in), VarInt.decodeInt(in), VarInt.decodeInt(in));
  }

  @Override
  public boolean consistentWithEquals() {
    return true;
  }
}
