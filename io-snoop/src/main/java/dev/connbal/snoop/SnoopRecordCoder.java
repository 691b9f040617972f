package dev.connbal.snoop;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Collections;
import java.util.List;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.util.VarInt;

/**
 * Compact binary coder for {@link SnoopRecord}: varints for the numeric fields and a
 * length-prefixed frame, no Java serialization.
 */
public final class SnoopRecordCoder extends AtomicCoder<SnoopRecord> {
  private static final SnoopRecordCoder INSTANCE = new SnoopRecordCoder();
  private static final StringUtf8Coder FILE_CODER = StringUtf8Coder.of();

  /** Largest frame the coder accepts when decoding, to fail fast on corrupt streams. */
  private static final int MAX_FRAME = 1 << 26;

  private SnoopRecordCoder() {}

  public static SnoopRecordCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(SnoopRecord r, OutputStream out) throws IOException {
    FILE_CODER.encode(r.file(), out);
    VarInt.encode(r.recordOffset(), out);
    VarInt.encode(r.seconds(), out);
    VarInt.encode(r.microseconds(), out);
    VarInt.encode(r.originalLength(), out);
    VarInt.encode(r.cumulativeDrops(), out);
    VarInt.encode(r.linkType(), out);
    byte[] frame = r.frame();
    VarInt.encode(frame.length, out);
    out.write(frame);
  }

  @Override
  public SnoopRecord decode(InputStream in) throws IOException {
    String file = FILE_CODER.decode(in);
    long offset = VarInt.decodeLong(in);
    long seconds = VarInt.decodeLong(in);
    int micros = VarInt.decodeInt(in);
    int orig = VarInt.decodeInt(in);
    int drops = VarInt.decodeInt(in);
    int linkType = VarInt.decodeInt(in);
    int len = VarInt.decodeInt(in);
    if (len < 0 || len > MAX_FRAME) {
      throw new CoderException("invalid snoop frame length " + len);
    }
    byte[] frame = new byte[len];
    new DataInputStream(in).readFully(frame);
    try {
      return SnoopRecord.ofLinkType(file, offset, seconds, micros, orig, drops, linkType, frame);
    } catch (IllegalArgumentException e) {
      throw new CoderException("invalid encoded snoop record: " + e.getMessage());
    }
  }

  @Override
  public List<? extends Coder<?>> getCoderArguments() {
    return Collections.emptyList();
  }

  @Override
  public void verifyDeterministic() {}

  @Override
  public boolean consistentWithEquals() {
    return true;
  }
}
