package dev.connbal.transforms.decode;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.util.VarInt;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * Encodes a {@link DnsName} as its uncompressed wire form (length-prefixed), case preserved.
 * Deterministic; not consistent with equals, since names differing only in case are equal but
 * encode differently (group by a lower-cased name where that matters).
 */
public final class DnsNameCoder extends AtomicCoder<DnsName> {
  private static final DnsNameCoder INSTANCE = new DnsNameCoder();

  private DnsNameCoder() {}

  public static DnsNameCoder of() {
    return INSTANCE;
  }

  /** Lets {@code @DefaultCoder} on {@link DnsName} find this coder. */
  public static CoderProvider getCoderProvider() {
    return CoderProviders.forCoder(TypeDescriptor.of(DnsName.class), INSTANCE);
  }

  @Override
  public void encode(DnsName value, OutputStream out) throws IOException {
    if (value == null) {
      throw new CoderException("cannot encode a null DnsName");
    }
    byte[] wire = value.wire();
    VarInt.encode(wire.length, out);
    out.write(wire);
  }

  @Override
  public DnsName decode(InputStream in) throws IOException {
    int length = VarInt.decodeInt(in);
    if (length < 1 || length > DnsName.MAX_WIRE_LENGTH) {
      throw new CoderException("DnsName of " + length + " bytes");
    }
    byte[] wire = in.readNBytes(length);
    if (wire.length < length) {
      throw new EOFException("DnsName of " + length + " bytes ends after " + wire.length);
    }
    try {
      return DnsName.ofWire(wire);
    } catch (IllegalArgumentException e) {
      throw new CoderException("corrupt DnsName: " + e.getMessage());
    }
  }

  /** Same wire bytes for the same name, always. */
  @Override
  public void verifyDeterministic() {}

  @Override
  public boolean isRegisterByteSizeObserverCheap(DnsName value) {
    return true;
  }

  @Override
  protected long getEncodedElementByteSize(DnsName value) {
    int length = value.wire().length;
    return (long) VarInt.getLength(length) + length;
  }
}
