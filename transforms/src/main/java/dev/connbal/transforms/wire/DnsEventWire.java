package dev.connbal.transforms.wire;

import dev.connbal.transforms.decode.DnsName;
import dev.connbal.transforms.decode.DnsRecord;
import dev.connbal.transforms.events.DnsEvent;
import dev.connbal.transforms.events.DnsEventRecord;
import dev.connbal.transforms.events.DnsNameTable;
import dev.connbal.transforms.events.DnsPartial;
import dev.connbal.transforms.events.OrderKey;
import dev.connbal.transforms.events.QueryKey;
import dev.connbal.transforms.keys.IpAddress;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.util.VarInt;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The wire form of a {@link DnsEvent} inside a {@link DnsPartial}: deterministic, without the
 * event's file, which all events of a partial share and the partial holds once, and with names as
 * indexes into the partial's {@link DnsNameTable}. An event's timestamp and record offset are
 * written as differences to the event before it in the partial (zigzag varints): a partial's events
 * are sorted and close together, so a few bytes each instead of the eight a timestamp takes. Each
 * record is its section, type and owner, then an address record's address ({@link
 * IpAddress#writeTo}), a CNAME's target, or an SRV record's port, target, priority and weight.
 */
public final class DnsEventWire {
  private DnsEventWire() {}

  /** Wire codes of the record sections: fixed here rather than the enum's ordinals. */
  private static final int SECTION_ANSWER = 0;

  private static final int SECTION_ADDITIONAL = 1;

  /**
   * Writes {@code e}, which follows the event of order {@code previous} in its partial (null for
   * the partial's first event).
   */
  public static void write(
      DnsEvent e, @Nullable OrderKey previous, DnsNameTable names, BytesOutput out) {
    QueryKey q = e.query();
    List<DnsEventRecord> records = e.records();
    writeEventStart(
        e.order().timestampMicros(),
        e.order().recordOffset(),
        previous == null ? 0 : previous.timestampMicros(),
        previous == null ? 0 : previous.recordOffset(),
        e.isResponse(),
        q.clientIp().high(),
        q.clientIp().low(),
        q.clientPort(),
        q.serverIp().high(),
        q.serverIp().low(),
        q.id(),
        q.name(),
        e.answerCount(),
        records.size(),
        names,
        out);
    for (int i = 0; i < records.size(); i++) {
      DnsEventRecord r = records.get(i);
      if (r.isAddress()) {
        writeAddress(r.section(), r.owner(), r.address(), names, out);
      } else {
        writeWithTarget(r.section(), r.type(), r.owner(), r.port(), r.target(), names, out);
        if (r.isSrv()) {
          writePriorityWeight(r.priority(), r.weight(), out);
        }
      }
    }
  }

  /**
   * Writes an event up to its records, which follow, {@code recordCount} of them, each written by
   * {@link #writeAddress}, {@link #writeSrv} or {@link #writeCname}: the event of time {@code
   * timeMicros} at {@code recordOffset} after the one of {@code previousTimeMicros} at {@code
   * previousRecordOffset} in its partial (both 0 for the partial's first event). Returns the index
   * of the query name {@code name} in {@code names}.
   */
  public static int writeEventStart(
      long timeMicros,
      long recordOffset,
      long previousTimeMicros,
      long previousRecordOffset,
      boolean isResponse,
      long clientHigh,
      long clientLow,
      int clientPort,
      long serverHigh,
      long serverLow,
      int id,
      DnsName name,
      int answerCount,
      int recordCount,
      DnsNameTable names,
      BytesOutput out) {
    out.writeVarLong(zigzag(timeMicros - previousTimeMicros));
    out.writeVarLong(zigzag(recordOffset - previousRecordOffset));
    out.write(isResponse ? 1 : 0);
    out.writeAddress(clientHigh, clientLow);
    out.writeVarInt(clientPort);
    out.writeAddress(serverHigh, serverLow);
    out.writeVarInt(id);
    int nameIndex = names.indexOf(name);
    out.writeVarInt(nameIndex);
    out.writeVarInt(answerCount);
    out.writeVarInt(recordCount);
    return nameIndex;
  }

  /** Writes an address record of {@code section}: {@link DnsEventRecord#address}. */
  public static void writeAddress(
      DnsEventRecord.Section section,
      DnsName owner,
      IpAddress address,
      DnsNameTable names,
      BytesOutput out) {
    out.write(sectionCode(section));
    out.writeVarInt(DnsEventRecord.ADDRESS);
    out.writeVarInt(names.indexOf(owner));
    out.writeAddress(address);
  }

  /** Writes an SRV answer: {@link DnsEventRecord#srv}. */
  public static void writeSrv(
      DnsName service,
      DnsName target,
      int port,
      int priority,
      int weight,
      DnsNameTable names,
      BytesOutput out) {
    writeWithTarget(
        DnsEventRecord.Section.ANSWER, DnsRecord.SRV, service, port, target, names, out);
    writePriorityWeight(priority, weight, out);
  }

  /** Writes a CNAME answer: {@link DnsEventRecord#cname}. */
  public static void writeCname(
      DnsName alias, DnsName target, DnsNameTable names, BytesOutput out) {
    writeWithTarget(DnsEventRecord.Section.ANSWER, DnsRecord.CNAME, alias, 0, target, names, out);
  }

  /** A record's section, type and owner, then a port (0 but for SRV) and the target. */
  private static void writeWithTarget(
      DnsEventRecord.Section section,
      int type,
      DnsName owner,
      int port,
      DnsName target,
      DnsNameTable names,
      BytesOutput out) {
    out.write(sectionCode(section));
    out.writeVarInt(type);
    out.writeVarInt(names.indexOf(owner));
    out.writeVarInt(port);
    out.writeVarInt(names.indexOf(target));
  }

  /** What follows an SRV record's target. */
  private static void writePriorityWeight(int priority, int weight, BytesOutput out) {
    out.writeVarInt(priority);
    out.writeVarInt(weight);
  }

  private static int sectionCode(DnsEventRecord.Section section) {
    return switch (section) {
      case ANSWER -> SECTION_ANSWER;
      case ADDITIONAL -> SECTION_ADDITIONAL;
    };
  }

  /**
   * Reads an event written by {@link #write} for a packet of {@code file}, with the partial's name
   * table, after the event of order {@code previous} (null for the partial's first event).
   */
  public static DnsEvent read(
      String file, DnsName[] names, @Nullable OrderKey previous, InputStream in)
      throws IOException {
    long time = unzigzag(VarInt.decodeLong(in));
    long offset = unzigzag(VarInt.decodeLong(in));
    OrderKey order =
        previous == null
            ? new OrderKey(time, file, offset)
            : new OrderKey(
                previous.timestampMicros() + time, file, previous.recordOffset() + offset);
    boolean isResponse = readByte(in) == 1;
    QueryKey query =
        new QueryKey(
            IpAddress.readFrom(in),
            VarInt.decodeInt(in),
            IpAddress.readFrom(in),
            VarInt.decodeInt(in),
            DnsNameTable.name(names, VarInt.decodeInt(in)));
    int answerCount = VarInt.decodeInt(in);
    int n = VarInt.decodeInt(in);
    if (n < 0) {
      throw new CoderException("negative record count " + n);
    }
    List<DnsEventRecord> records = new ArrayList<>(Math.min(n, 1024));
    for (int i = 0; i < n; i++) {
      int sectionCode = readByte(in);
      DnsEventRecord.Section section =
          switch (sectionCode) {
            case SECTION_ANSWER -> DnsEventRecord.Section.ANSWER;
            case SECTION_ADDITIONAL -> DnsEventRecord.Section.ADDITIONAL;
            default -> throw new CoderException("bad record section " + sectionCode);
          };
      int type = VarInt.decodeInt(in);
      DnsName owner = DnsNameTable.name(names, VarInt.decodeInt(in));
      if (type == DnsEventRecord.ADDRESS) {
        records.add(DnsEventRecord.address(section, owner, IpAddress.readFrom(in)));
      } else {
        int port = VarInt.decodeInt(in);
        DnsName target = DnsNameTable.name(names, VarInt.decodeInt(in));
        int priority = 0;
        int weight = 0;
        if (type == DnsRecord.SRV) {
          priority = VarInt.decodeInt(in);
          weight = VarInt.decodeInt(in);
        }
        try {
          records.add(
              new DnsEventRecord(section, type, owner, null, port, priority, weight, target));
        } catch (IllegalArgumentException e) {
          throw new CoderException("bad DNS event record: " + e.getMessage());
        }
      }
    }
    try {
      return new DnsEvent(order, isResponse, query, answerCount, records);
    } catch (IllegalArgumentException e) {
      throw new CoderException("bad DNS event: " + e.getMessage());
    }
  }

  /** A signed difference as an unsigned number that is small when the difference is near 0. */
  private static long zigzag(long difference) {
    return (difference << 1) ^ (difference >> 63);
  }

  private static long unzigzag(long zigzag) {
    return (zigzag >>> 1) ^ -(zigzag & 1);
  }

  private static int readByte(InputStream in) throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new CoderException("unexpected end of DNS event");
    }
    return b;
  }
}
