package dev.connbal.transforms.wire;

import dev.connbal.transforms.events.OrderKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.util.VarInt;

/** Deterministic coder for {@link OrderKey}. */
public final class OrderKeyCoder extends AtomicCoder<OrderKey> {
  private static final OrderKeyCoder INSTANCE = new OrderKeyCoder();

  static OrderKeyCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(OrderKey key, OutputStream out) throws IOException {
    VarInt.encode(key.timestampMicros(), out);
    StringUtf8Coder.of().encode(key.file(), out);
    VarInt.encode(key.recordOffset(), out);
  }

  @Override
  public OrderKey decode(InputStream in) throws IOException {
    return new OrderKey(
        VarInt.decodeLong(in), StringUtf8Coder.of().decode(in), VarInt.decodeLong(in));
  }

  @Override
  public void verifyDeterministic() {}
}
