package dev.connbal.snoop;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.util.VarInt;

/** Binary coder for {@link SnoopReadError}: strings, varints and the kind's ordinal. */
public final class SnoopReadErrorCoder extends AtomicCoder<SnoopReadError> {
  private static final SnoopReadErrorCoder INSTANCE = new SnoopReadErrorCoder();
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();
  private static final SnoopReadError.Kind[] KINDS = SnoopReadError.Kind.values();

  private SnoopReadErrorCoder() {}

  public static SnoopReadErrorCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(SnoopReadError e, OutputStream out) throws IOException {
    STRING.encode(e.file(), out);
    VarInt.encode(e.offset(), out);
    VarInt.encode(e.kind().ordinal(), out);
    VarInt.encode(e.bytes(), out);
    STRING.encode(e.message(), out);
  }

  @Override
  public SnoopReadError decode(InputStream in) throws IOException {
    String file = STRING.decode(in);
    long offset = VarInt.decodeLong(in);
    int kind = VarInt.decodeInt(in);
    long bytes = VarInt.decodeLong(in);
    String message = STRING.decode(in);
    if (kind < 0 || kind >= KINDS.length) {
      throw new CoderException("unknown snoop read error kind " + kind);
    }
    try {
      return SnoopReadError.of(file, offset, KINDS[kind], bytes, message);
    } catch (IllegalArgumentException ex) {
      throw new CoderException("invalid encoded snoop read error: " + ex.getMessage());
    }
  }

  @Override
  public void verifyDeterministic() {}

  @Override
  public boolean consistentWithEquals() {
    return true;
  }
}
