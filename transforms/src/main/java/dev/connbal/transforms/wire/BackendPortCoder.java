package dev.connbal.transforms.wire;

import dev.connbal.transforms.count.BackendPort;
import dev.connbal.transforms.keys.IpAddress;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.util.VarInt;

/** Deterministic coder for {@link BackendPort}, usable as a shuffle key. */
public final class BackendPortCoder extends BlockCoder<BackendPort> {
  private static final BackendPortCoder INSTANCE = new BackendPortCoder();

  public static BackendPortCoder of() {
    return INSTANCE;
  }

  @Override
  protected void encodeBlock(BackendPort k, OutputStream out) throws IOException {
    k.client().writeTo(out);
    k.backend().writeTo(out);
    VarInt.encode(k.port(), out);
  }

  @Override
  protected BackendPort decodeBlock(InputStream in) throws IOException {
    return new BackendPort(IpAddress.readFrom(in), IpAddress.readFrom(in), VarInt.decodeInt(in));
  }

  @Override
  public boolean consistentWithEquals() {
    return true;
  }
}
