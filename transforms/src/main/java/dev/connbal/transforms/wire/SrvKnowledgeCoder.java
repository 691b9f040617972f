package dev.connbal.transforms.wire;

import dev.connbal.transforms.decode.DnsName;
import dev.connbal.transforms.decode.DnsNameCoder;
import dev.connbal.transforms.events.OrderKey;
import dev.connbal.transforms.timeline.SrvKnowledge;
import dev.connbal.transforms.timeline.SrvPreference;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.util.VarInt;

/**
 * Deterministic coder for {@link SrvKnowledge}: the capture files its places are in, each once;
 * then targets in presentation order, each with its service and its ports, each port with the
 * records that can decide its priority and weight, by place (each place, its file by index,
 * priority and weight). A port's first such record is its first learning, and a target's first
 * learning is its earliest port's (the SRV record that first named it also first named that port),
 * so neither is written apart.
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
    // The capture files of the places, each written once: a piece's records come from few files.
    Map<String, Integer> files = new LinkedHashMap<>();
    for (Map.Entry<DnsName, SrvKnowledge.Learnt> e : targets) {
      for (NavigableMap<SrvKnowledge.Position, SrvPreference> kept :
          e.getValue().preferences().values()) {
        for (SrvKnowledge.Position at : kept.keySet()) {
          files.putIfAbsent(at.order().file(), files.size());
        }
      }
    }
    VarInt.encode(files.size(), out);
    for (String file : files.keySet()) {
      FILE.encode(file, out);
    }
    VarInt.encode(targets.size(), out);
    for (Map.Entry<DnsName, SrvKnowledge.Learnt> e : targets) {
      SrvKnowledge.Learnt t = e.getValue();
      NAME.encode(e.getKey(), out);
      NAME.encode(t.service(), out);
      Map<Integer, NavigableMap<SrvKnowledge.Position, SrvPreference>> ports = t.preferences();
      VarInt.encode(ports.size(), out);
      for (Map.Entry<Integer, NavigableMap<SrvKnowledge.Position, SrvPreference>> p :
          ports.entrySet()) {
        VarInt.encode(p.getKey(), out);
        VarInt.encode(p.getValue().size(), out);
        for (SrvPreference learnt : p.getValue().values()) {
          SrvKnowledge.Position at = learnt.at();
          VarInt.encode(at.order().timestampMicros(), out);
          VarInt.encode(files.get(at.order().file()), out);
          VarInt.encode(at.order().recordOffset(), out);
          VarInt.encode(at.record(), out);
          VarInt.encode(learnt.priority(), out);
          VarInt.encode(learnt.weight(), out);
        }
      }
    }
  }

  @Override
  public SrvKnowledge decode(InputStream in) throws IOException {
    String[] files = new String[count(in)];
    for (int i = 0; i < files.length; i++) {
      files[i] = FILE.decode(in);
    }
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
        int records = count(in);
        if (records == 0) {
          throw new CoderException("SRV target " + target + " port " + port + " without a record");
        }
        for (int k = 0; k < records; k++) {
          SrvKnowledge.Position at = decodePosition(in, files);
          int priority = VarInt.decodeInt(in);
          int weight = VarInt.decodeInt(in);
          try {
            knowledge.learn(at, service, target, port, priority, weight);
          } catch (IllegalArgumentException e) {
            throw new CoderException("bad SRV record: " + e.getMessage());
          }
        }
      }
    }
    return knowledge;
  }

  private static SrvKnowledge.Position decodePosition(InputStream in, String[] files)
      throws IOException {
    long micros = VarInt.decodeLong(in);
    int file = VarInt.decodeInt(in);
    if (file < 0 || file >= files.length) {
      throw new CoderException(
          "file " + file + " of " + files.length + " in an SRV record's place");
    }
    return new SrvKnowledge.Position(
        new OrderKey(micros, files[file], VarInt.decodeLong(in)), VarInt.decodeInt(in));
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
