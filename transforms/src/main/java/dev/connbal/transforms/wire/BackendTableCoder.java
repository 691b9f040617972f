package dev.connbal.transforms.wire;

import dev.connbal.transforms.keys.ClientBackend;
import dev.connbal.transforms.keys.IpAddress;
import dev.connbal.transforms.timeline.BackendTable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.util.VarInt;

/**
 * Deterministic coder for {@link BackendTable}: the entry count, then entries in pair order (the
 * order the table keeps them in).
 */
public final class BackendTableCoder extends AtomicCoder<BackendTable> {
  private static final BackendTableCoder INSTANCE = new BackendTableCoder();

  public static BackendTableCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(BackendTable table, OutputStream out) throws IOException {
    Map<ClientBackend, Long> sorted = table.entries();
    VarInt.encode(sorted.size(), out);
    for (Map.Entry<ClientBackend, Long> e : sorted.entrySet()) {
      e.getKey().client().writeTo(out);
      e.getKey().backend().writeTo(out);
      VarInt.encode(e.getValue(), out);
    }
  }

  @Override
  public BackendTable decode(InputStream in) throws IOException {
    int n = VarInt.decodeInt(in);
    if (n < 0) {
      throw new CoderException("negative backend table size " + n);
    }
    Map<ClientBackend, Long> entries = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      ClientBackend pair = ClientBackend.of(IpAddress.readFrom(in), IpAddress.readFrom(in));
      entries.put(pair, VarInt.decodeLong(in));
    }
    return BackendTable.of(entries);
  }

  @Override
  public void verifyDeterministic() {}

  @Override
  public boolean consistentWithEquals() {
    return true;
  }
}
