package dev.connbal.transforms.wire;

import dev.connbal.transforms.events.OrderKey;
import dev.connbal.transforms.timeline.SrvKnowledge;
import dev.connbal.transforms.decode.DnsName;
import dev.connbal.transforms.decode.DnsNameCoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.util.VarInt;

/**
 * Deterministic coder for {@link SrvKnowledge}: targets in presentation order, each with its
 * service and its ports with their first learnings. A target's first learning is its earliest
 * port's (the SRV record that first named it also first named that port), so it is not written.
 */
public final class SrvKnowledgeCoder extends AtomicCoder<SrvKnowledge> {
  private static final SrvKnowledgeCoder INSTANCE = new SrvKnowledgeCoder();
  private static final DnsNameCoder NAME = DnsNameCoder.of();
  private static final StringUtf8Coder FILE = StringUtf8Coder.of();

  public static SrvKnowledgeCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(SrvKnowledge knowledge, OutputStream out) throws IOException {
    List<Map.Entry<DnsName, SrvKnowledge.Learnt>> targets =
        new ArrayList<>(knowledge.targets().entrySet());
    targets.sort(Comparator.comparing(e -> e.getKey().presentation()));
    VarInt.encode(targets.size(), out);
    for (Map.Entry<DnsName, SrvKnowledge.Learnt> e : targets) {
      SrvKnowledge.Learnt t = e.getValue();
      NAME.encode(e.getKey(), out);
      NAME.encode(t.service(), out);
      VarInt.encode(t.portFirst().size(), out);
      for (Map.Entry<Integer, SrvKnowledge.Position> p : t.portFirst().entrySet()) {
        VarInt.encode(p.getKey(), out);
        encode(p.getValue(), out);
      }
    }
  }

  @Override
  public SrvKnowledge decode(InputStream in) throws IOException {
    SrvKnowledge knowledge = new SrvKnowledge();
    int targets = count(in);
    for (int i = 0; i < targets; i++) {
      DnsName target = NAME.decode(in);
      DnsName service = NAME.decode(in);
      int ports = count(in);
      if (ports == 0) {
        throw new CoderException("SRV target " + target + " without a port");
      }
      for (int j = 0; j < ports; j++) {
        int port = VarInt.decodeInt(in);
        SrvKnowledge.Position at = decodePosition(in);
        knowledge.learn(at, service, target, port);
      }
    }
    return knowledge;
  }

  private static void encode(SrvKnowledge.Position p, OutputStream out) throws IOException {
    VarInt.encode(p.order().timestampMicros(), out);
    FILE.encode(p.order().file(), out);
    VarInt.encode(p.order().recordOffset(), out);
    VarInt.encode(p.record(), out);
  }

  private static SrvKnowledge.Position decodePosition(InputStream in) throws IOException {
    return new SrvKnowledge.Position(
        new OrderKey(VarInt.decodeLong(in), FILE.decode(in), VarInt.decodeLong(in)),
        VarInt.decodeInt(in));
  }

  private static int count(InputStream in) throws IOException {
    int n = VarInt.decodeInt(in);
    if (n < 0) {
      throw new CoderException("negative count " + n);
    }
    return n;
  }

  @Override
  public void verifyDeterministic() {}
}
