package dev.connbal.transforms.wire;

import dev.connbal.transforms.keys.ClientBackend;
import dev.connbal.transforms.keys.IpAddress;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Deterministic coder for {@link ClientBackend}: its two addresses ({@link IpAddress#writeTo}). */
public final class ClientBackendCoder extends BlockCoder<ClientBackend> {
  private static final ClientBackendCoder INSTANCE = new ClientBackendCoder();

  public static ClientBackendCoder of() {
    return INSTANCE;
  }

  @Override
  protected void encodeBlock(ClientBackend pair, OutputStream out) throws IOException {
    pair.client().writeTo(out);
    pair.backend().writeTo(out);
  }

  @Override
  protected ClientBackend decodeBlock(InputStream in) throws IOException {
    return ClientBackend.of(IpAddress.readFrom(in), IpAddress.readFrom(in));
  }

  @Override
  public boolean consistentWithEquals() {
    return true;
  }
}
