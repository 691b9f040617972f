package dev.connbal.transforms.wire;

import dev.connbal.transforms.count.BackendPort;
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
    VarInt.encode(k.client(), out);
    VarInt.encode(k.backend(), out);
    VarInt.encode(k.port(), out);
  }

  @Override
  protected BackendPort decodeBlock(InputStream in) throws IOException {
    return new BackendPort(VarInt.decodeInt(in), VarInt.decodeInt(in), VarInt.decodeInt(in));
  }

  @Override
  public boolean consistentWithEquals() {
    return true;
  }
}
