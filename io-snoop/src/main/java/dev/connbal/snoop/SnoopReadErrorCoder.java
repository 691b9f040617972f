package dev.connbal.snoop;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.util.VarInt;

/** Binary coder for {@link SnoopReadError}: strings, varints and the kind's fixed wire code. */
public final class SnoopReadErrorCoder extends AtomicCoder<SnoopReadError> {
  private static final SnoopReadErrorCoder INSTANCE = new SnoopReadErrorCoder();
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();

  private SnoopReadErrorCoder() {}

  public static SnoopReadErrorCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(SnoopReadError e, OutputStream out) throws IOException {
    STRING.encode(e.file(), out);
    VarInt.encode(e.offset(), out);
    VarInt.encode(code(e.kind()), out);
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
    SnoopReadError.Kind k = kind(kind);
    if (k == null) {
      throw new CoderException("unknown snoop read error kind " + kind);
    }
    try {
      return SnoopReadError.of(file, offset, k, bytes, message);
    } catch (IllegalArgumentException ex) {
      throw new CoderException("invalid encoded snoop read error: " + ex.getMessage());
    }
  }

  /**
   * The wire code of a kind: fixed here, not the enum's ordinal, so that reordering or adding kinds
   * cannot change what encoded errors mean. The codes are the declaration order as first released.
   */
  static int code(SnoopReadError.Kind kind) {
    return switch (kind) {
      case EMPTY_FILE -> 0;
      case TRUNCATED_FILE_HEADER -> 1;
      case BAD_MAGIC -> 2;
      case UNSUPPORTED_VERSION -> 3;
      case UNSUPPORTED_DATALINK -> 4;
      case CORRUPT_REGION -> 5;
      case TRUNCATED_RECORD -> 6;
      case UNREADABLE -> 7;
      case UNSUPPORTED_LINK_TYPE -> 8;
    };
  }

  /** The kind of a wire code, or null for an unknown code. */
  static SnoopReadError.Kind kind(int code) {
    return switch (code) {
      case 0 -> SnoopReadError.Kind.EMPTY_FILE;
      case 1 -> SnoopReadError.Kind.TRUNCATED_FILE_HEADER;
      case 2 -> SnoopReadError.Kind.BAD_MAGIC;
      case 3 -> SnoopReadError.Kind.UNSUPPORTED_VERSION;
      case 4 -> SnoopReadError.Kind.UNSUPPORTED_DATALINK;
      case 5 -> SnoopReadError.Kind.CORRUPT_REGION;
      case 6 -> SnoopReadError.Kind.TRUNCATED_RECORD;
      case 7 -> SnoopReadError.Kind.UNREADABLE;
      case 8 -> SnoopReadError.Kind.UNSUPPORTED_LINK_TYPE;
      default -> null;
    };
  }

  @Override
  public void verifyDeterministic() {}

  @Override
  public boolean consistentWithEquals() {
    return true;
  }
}
