package dev.connbal.transforms.wire;

import dev.connbal.transforms.output.TsvRow;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.util.VarInt;

/** Deterministic coder for {@link TsvRow}. */
public final class TsvRowCoder extends AtomicCoder<TsvRow> {
  private static final TsvRowCoder INSTANCE = new TsvRowCoder();

  public static TsvRowCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(TsvRow r, OutputStream out) throws IOException {
    VarInt.encode(r.client(), out);
    VarInt.encode(r.backend(), out);
    VarInt.encode(r.port(), out);
    VarInt.encode(r.conns(), out);
    VarInt.encode(r.dns(), out);
    StringUtf8Coder.of().encode(r.name(), out);
  }

  @Override
  public TsvRow decode(InputStream in) throws IOException {
    return new TsvRow(
        VarInt.decodeInt(in),
        VarInt.decodeInt(in),
        VarInt.decodeInt(in),
        VarInt.decodeLong(in),
        VarInt.decodeLong(in),
        StringUtf8Coder.of().decode(in));
  }

  @Override
  public void verifyDeterministic() {}
}
