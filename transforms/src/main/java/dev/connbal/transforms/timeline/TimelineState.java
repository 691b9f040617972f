package dev.connbal.transforms.timeline;

import dev.connbal.transforms.decode.DnsName;
import dev.connbal.transforms.events.OrderKey;
import dev.connbal.transforms.events.QueryKey;
import dev.connbal.transforms.keys.IpAddress;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The written form of the values a timeline's state is made of, for the state's own {@code writeTo}
 * and {@code readFrom} (plain {@link DataOutput}, so that the core stays free of Beam): a name in
 * presentation form, which reads back with its spelling; counts before lists.
 */
public final class TimelineState {
  private TimelineState() {}

  public static void writeName(DnsName name, DataOutput out) throws IOException {
    out.writeUTF(name.presentation());
  }

  public static DnsName readName(DataInput in) throws IOException {
    try {
      return DnsName.fromPresentation(in.readUTF());
    } catch (IllegalArgumentException e) {
      throw new IOException("corrupt name in timeline state: " + e.getMessage(), e);
    }
  }

  public static void writeOrder(OrderKey key, DataOutput out) throws IOException {
    out.writeLong(key.timestampMicros());
    out.writeUTF(key.file());
    out.writeLong(key.recordOffset());
  }

  public static OrderKey readOrder(DataInput in) throws IOException {
    return new OrderKey(in.readLong(), in.readUTF(), in.readLong());
  }

  static void writeQuery(QueryKey key, DataOutput out) throws IOException {
    key.clientIp().writeData(out);
    out.writeInt(key.clientPort());
    key.serverIp().writeData(out);
    out.writeInt(key.id());
    writeName(key.name(), out);
  }

  static QueryKey readQuery(DataInput in) throws IOException {
    return new QueryKey(
        IpAddress.readData(in), in.readInt(), IpAddress.readData(in), in.readInt(), readName(in));
  }

  static void writePreference(SrvPreference p, DataOutput out) throws IOException {
    writeOrder(p.at().order(), out);
    out.writeInt(p.at().record());
    out.writeShort(p.priority());
    out.writeShort(p.weight());
  }

  static SrvPreference readPreference(DataInput in) throws IOException {
    SrvKnowledge.Position at = new SrvKnowledge.Position(readOrder(in), in.readInt());
    return new SrvPreference(at, in.readUnsignedShort(), in.readUnsignedShort());
  }

  public static void writeFacts(BackendFacts f, DataOutput out) throws IOException {
    f.client().writeData(out);
    f.backend().writeData(out);
    out.writeLong(f.firstSeenMicros());
    writeName(f.name(), out);
    out.writeLong(f.dnsCount());
    out.writeInt(f.srvPortDns().size());
    for (Map.Entry<Integer, Long> e : f.srvPortDns().entrySet()) {
      SrvPriorityWeight pw = f.srvPortPriorityWeight().get(e.getKey());
      out.writeInt(e.getKey());
      out.writeLong(e.getValue());
      out.writeShort(pw.priority());
      out.writeShort(pw.weight());
    }
  }

  public static BackendFacts readFacts(DataInput in) throws IOException {
    IpAddress client = IpAddress.readData(in);
    IpAddress backend = IpAddress.readData(in);
    long firstSeen = in.readLong();
    DnsName name = readName(in);
    long dns = in.readLong();
    TreeMap<Integer, Long> portDns = new TreeMap<>();
    TreeMap<Integer, SrvPriorityWeight> portPw = new TreeMap<>();
    for (int i = count(in); i > 0; i--) {
      int port = in.readInt();
      portDns.put(port, in.readLong());
      portPw.put(port, new SrvPriorityWeight(in.readUnsignedShort(), in.readUnsignedShort()));
    }
    return new BackendFacts(client, backend, firstSeen, name, dns, portDns, portPw);
  }

  /** A count written before a list, checked when read. */
  public static int count(DataInput in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      throw new IOException("negative count " + n + " in timeline state");
    }
    return n;
  }
}
