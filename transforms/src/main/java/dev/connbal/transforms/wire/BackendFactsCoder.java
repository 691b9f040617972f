package dev.connbal.transforms.wire;

import dev.connbal.transforms.decode.DnsNameCoder;
import dev.connbal.transforms.keys.IpAddress;
import dev.connbal.transforms.timeline.BackendFacts;
import dev.connbal.transforms.timeline.SrvPriorityWeight;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.util.VarInt;

/**
 * Deterministic coder for {@link BackendFacts}: SRV ports in ascending order, each with its #dns,
 * priority and weight (the facts hold both for the same ports).
 */
public final class BackendFactsCoder extends AtomicCoder<BackendFacts> {
  private static final BackendFactsCoder INSTANCE = new BackendFactsCoder();

  public static BackendFactsCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(BackendFacts f, OutputStream out) throws IOException {
    f.client().writeTo(out);
    f.backend().writeTo(out);
    VarInt.encode(f.firstSeenMicros(), out);
    DnsNameCoder.of().encode(f.name(), out);
    VarInt.encode(f.dnsCount(), out);
    VarInt.encode(f.srvPortDns().size(), out);
    for (Map.Entry<Integer, Long> e : f.srvPortDns().entrySet()) {
      SrvPriorityWeight pw = f.srvPortPriorityWeight().get(e.getKey());
      VarInt.encode(e.getKey(), out);
      VarInt.encode(e.getValue(), out);
      VarInt.encode(pw.priority(), out);
      VarInt.encode(pw.weight(), out);
    }
  }

  @Override
  public BackendFacts decode(InputStream in) throws IOException {
    IpAddress client = IpAddress.readFrom(in);
    IpAddress backend = IpAddress.readFrom(in);
    long firstSeen = VarInt.decodeLong(in);
    var name = DnsNameCoder.of().decode(in);
    long dns = VarInt.decodeLong(in);
    int ports = VarInt.decodeInt(in);
    if (ports < 0 || ports > 65536) {
      throw new CoderException("bad port count " + ports);
    }
    TreeMap<Integer, Long> srvPortDns = new TreeMap<>();
    TreeMap<Integer, SrvPriorityWeight> srvPortPriorityWeight = new TreeMap<>();
    for (int i = 0; i < ports; i++) {
      int port = VarInt.decodeInt(in);
      srvPortDns.put(port, VarInt.decodeLong(in));
      try {
        srvPortPriorityWeight.put(
            port, new SrvPriorityWeight(VarInt.decodeInt(in), VarInt.decodeInt(in)));
      } catch (IllegalArgumentException e) {
        throw new CoderException("bad SRV priority or weight: " + e.getMessage());
      }
    }
    return new BackendFacts(
        client, backend, firstSeen, name, dns, srvPortDns, srvPortPriorityWeight);
  }

  @Override
  public void verifyDeterministic() {}
}
