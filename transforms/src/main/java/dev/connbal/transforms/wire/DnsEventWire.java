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
    out.writeVarLong(
        zigzag(e.order().timestampMicros() - (previous == null ? 0 : previous.timestampMicros())));
    out.writeVarLong(
        zigzag(e.order().recordOffset() - (previous == null ? 0 : previous.recordOffset())));
    out.write(e.isResponse() ? 1 : 0);
    QueryKey q = e.query();
    out.writeAddress(q.clientIp());
    out.writeVarInt(q.clientPort());
    out.writeAddress(q.serverIp());
    out.writeVarInt(q.id());
    out.writeVarInt(names.indexOf(q.name()));
    out.writeVarInt(e.answerCount());
    List<DnsEventRecord> records = e.records();
    out.writeVarInt(records.size());
    for (int i = 0; i < records.size(); i++) {
      DnsEventRecord r = records.get(i);
      out.write(
          switch (r.section()) {
            case ANSWER -> SECTION_ANSWER;
            case ADDITIONAL -> SECTION_ADDITIONAL;
          });
      out.writeVarInt(r.type());
      out.writeVarInt(names.indexOf(r.owner()));
      if (r.isAddress()) {
        out.writeAddress(r.address());
      } else {
        out.writeVarInt(r.port());
        out.writeVarInt(names.indexOf(r.target()));
        if (r.isSrv()) {
          out.writeVarInt(r.priority());
          out.writeVarInt(r.weight());
        }
      }
    }
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
