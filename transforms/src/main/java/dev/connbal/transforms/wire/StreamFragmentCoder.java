package dev.connbal.transforms.wire;

import dev.connbal.transforms.events.StreamFragment;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.util.VarInt;

/** Deterministic coder for {@link StreamFragment}. */
public final class StreamFragmentCoder extends BlockCoder<StreamFragment> {
  private static final StreamFragmentCoder INSTANCE = new StreamFragmentCoder();

  /** Wire codes of the marker kinds: fixed here rather than the enum's ordinals. */
  private static final int MARKER_SYN = 0;

  private static final int MARKER_CLOSE = 1;

  public static StreamFragmentCoder of() {
    return INSTANCE;
  }

  @Override
  protected void encodeBlock(StreamFragment f, OutputStream out) throws IOException {
    encodeTime(f.lowClientFirstSeen(), out);
    encodeTime(f.highClientFirstSeen(), out);
    VarInt.encode(f.markers().size(), out);
    for (StreamFragment.Marker m : f.markers()) {
      encodePacket(m.packet(), out);
      out.write(
          switch (m.kind()) {
            case SYN -> MARKER_SYN;
            case CLOSE -> MARKER_CLOSE;
          });
      VarInt.encode(m.isn(), out);
    }
    encodeOptionalPacket(f.firstOrdinary(), out);
    encodeOptionalPacket(f.firstOrdinaryLowClientKnown(), out);
    encodeOptionalPacket(f.firstOrdinaryHighClientKnown(), out);
  }

  @Override
  protected StreamFragment decodeBlock(InputStream in) throws IOException {
    Long low = decodeTime(in);
    Long high = decodeTime(in);
    int n = VarInt.decodeInt(in);
    if (n < 0) {
      throw new CoderException("negative marker count " + n);
    }
    List<StreamFragment.Marker> markers = new ArrayList<>(Math.min(n, 1024));
    for (int i = 0; i < n; i++) {
      StreamFragment.Packet packet = decodePacket(in);
      int code = readByte(in);
      StreamFragment.MarkerKind kind =
          switch (code) {
            case MARKER_SYN -> StreamFragment.MarkerKind.SYN;
            case MARKER_CLOSE -> StreamFragment.MarkerKind.CLOSE;
            default -> throw new CoderException("bad marker kind " + code);
          };
      markers.add(new StreamFragment.Marker(packet, kind, VarInt.decodeLong(in)));
    }
    try {
      return new StreamFragment(
          low,
          high,
          markers,
          decodeOptionalPacket(in),
          decodeOptionalPacket(in),
          decodeOptionalPacket(in));
    } catch (IllegalArgumentException e) {
      throw new CoderException("bad stream fragment: " + e.getMessage());
    }
  }

  private static void encodeTime(Long t, OutputStream out) throws IOException {
    out.write(t == null ? 0 : 1);
    if (t != null) {
      VarInt.encode(t, out);
    }
  }

  private static Long decodeTime(InputStream in) throws IOException {
    return readByte(in) == 0 ? null : VarInt.decodeLong(in);
  }

  private static void encodePacket(StreamFragment.Packet p, OutputStream out) throws IOException {
    OrderKeyCoder.of().encode(p.key(), out);
    out.write(p.fromLow() ? 1 : 0);
  }

  private static StreamFragment.Packet decodePacket(InputStream in) throws IOException {
    return new StreamFragment.Packet(OrderKeyCoder.of().decode(in), readByte(in) == 1);
  }

  private static void encodeOptionalPacket(StreamFragment.Packet p, OutputStream out)
      throws IOException {
    out.write(p == null ? 0 : 1);
    if (p != null) {
      encodePacket(p, out);
    }
  }

  private static StreamFragment.Packet decodeOptionalPacket(InputStream in) throws IOException {
    return readByte(in) == 0 ? null : decodePacket(in);
  }

  private static int readByte(InputStream in) throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new CoderException("unexpected end of stream fragment");
    }
    return b;
  }
}
