package dev.connbal.transforms.window;

import dev.connbal.transforms.keys.IpAddress;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * The coder of {@link StreamEvent}: a pair's three fields, or a packet's; addresses as {@link
 * IpAddress#writeTo} writes them.
 */
public final class StreamEventCoder extends AtomicCoder<StreamEvent> {
  private static final StreamEventCoder INSTANCE = new StreamEventCoder();
  private static final VarIntCoder INT = VarIntCoder.of();
  private static final VarLongCoder LONG = VarLongCoder.of();
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();

  public static StreamEventCoder of() {
    return INSTANCE;
  }

  private StreamEventCoder() {}

  @Override
  public void encode(StreamEvent e, OutputStream out) throws IOException {
    out.write(e.pair() ? 1 : 0);
    LONG.encode(e.timeMicros(), out);
    e.srcIp().writeTo(out);
    e.dstIp().writeTo(out);
    if (!e.pair()) {
      INT.encode(e.srcPort(), out);
      INT.encode(e.dstPort(), out);
      INT.encode(e.flags(), out);
      LONG.encode(e.seq(), out);
      STRING.encode(e.file(), out);
      LONG.encode(e.recordOffset(), out);
    }
  }

  @Override
  public StreamEvent decode(InputStream in) throws IOException {
    boolean pair = in.read() == 1;
    long time = LONG.decode(in);
    IpAddress src = IpAddress.readFrom(in);
    IpAddress dst = IpAddress.readFrom(in);
    if (pair) {
      return StreamEvent.pairKnown(src, dst, time);
    }
    return StreamEvent.packet(
        time,
        src,
        INT.decode(in),
        dst,
        INT.decode(in),
        INT.decode(in),
        LONG.decode(in),
        STRING.decode(in),
        LONG.decode(in));
  }

  @Override
  public void verifyDeterministic() {}
}
