package dev.connbal.transforms.wire;

import dev.connbal.transforms.events.OrderKey;
import dev.connbal.transforms.keys.IpAddress;
import dev.connbal.transforms.tcpdns.TcpDnsSegment;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.util.VarInt;

/** Deterministic coder for {@link TcpDnsSegment}: its fields in a fixed order, the payload last. */
public final class TcpDnsSegmentCoder extends BlockCoder<TcpDnsSegment> {
  private static final TcpDnsSegmentCoder INSTANCE = new TcpDnsSegmentCoder();

  public static TcpDnsSegmentCoder of() {
    return INSTANCE;
  }

  @Override
  protected int sizeHint(TcpDnsSegment s) {
    return 48 + s.order().file().length() + s.payload().length;
  }

  @Override
  protected void encodeBlock(TcpDnsSegment s, OutputStream out) throws IOException {
    DataOutputStream data = new DataOutputStream(out);
    s.srcIp().writeTo(out);
    s.dstIp().writeTo(out);
    VarInt.encode(s.srcPort(), out);
    VarInt.encode(s.dstPort(), out);
    VarInt.encode(s.flags(), out);
    VarInt.encode(s.seq(), out);
    VarInt.encode(s.order().timestampMicros(), out);
    VarInt.encode(s.order().recordOffset(), out);
    data.writeUTF(s.order().file());
    VarInt.encode(s.payload().length, out);
    out.write(s.payload());
  }

  @Override
  protected TcpDnsSegment decodeBlock(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    IpAddress srcIp = IpAddress.readFrom(in);
    IpAddress dstIp = IpAddress.readFrom(in);
    int srcPort = VarInt.decodeInt(in);
    int dstPort = VarInt.decodeInt(in);
    int flags = VarInt.decodeInt(in);
    long seq = VarInt.decodeLong(in);
    long time = VarInt.decodeLong(in);
    long offset = VarInt.decodeLong(in);
    String file = data.readUTF();
    byte[] payload = new byte[VarInt.decodeInt(in)];
    data.readFully(payload);
    return new TcpDnsSegment(
        srcIp, srcPort, dstIp, dstPort, flags, seq, payload, new OrderKey(time, file, offset));
  }

  @Override
  public boolean consistentWithEquals() {
    return true;
  }
}
