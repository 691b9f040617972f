package dev.connbal.transforms.wire;

import dev.connbal.transforms.keys.FourTuple;
import dev.connbal.transforms.keys.IpAddress;
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
    t.lowIp().writeTo(out);
    VarInt.encode(t.lowPort(), out);
    t.highIp().writeTo(out);
    VarInt.encode(t.highPort(), out);
  }

  @Override
  protected FourTuple decodeBlock(InputStream in) throws IOException {
    return new FourTuple(
        IpAddress.readFrom(in), VarInt.decodeInt(in), IpAddress.readFrom(in), VarInt.decodeInt(in));
  }

  @Override
  public boolean consistentWithEquals() {
    return true;
  }
}
