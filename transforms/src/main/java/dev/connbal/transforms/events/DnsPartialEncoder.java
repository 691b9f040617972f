package dev.connbal.transforms.events;

import dev.connbal.transforms.decode.DnsMessage;
import dev.connbal.transforms.decode.DnsName;
import dev.connbal.transforms.keys.IpAddress;
import dev.connbal.transforms.report.RunReport;
import dev.connbal.transforms.wire.BytesOutput;
import dev.connbal.transforms.wire.DnsEventWire;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The events of one {@link DnsPartial} of a range, written ({@link DnsEventWire}) as the decoder
 * yields them, straight from the message, without an event object each.
 *
 * <p>What it makes is exactly what {@link DnsPartial#of} makes of the same events: that sorts them
 * by {@link OrderKey}, and the events of a range nearly always come in that order already (file
 * order, and time rises with it). When one does not (a capture's clock stepped back), the partial
 * is decoded and made again by {@link DnsPartial#of}. Within a range no two events share an order
 * (one message per record), so the sort has no ties to keep.
 */
final class DnsPartialEncoder {
  private final DnsNameTable names = new DnsNameTable();
  private final BytesOutput body = new BytesOutput(1024);

  /** The indexes in {@link #names} of the events' query names. */
  private final BitSet queryNames = new BitSet();

  private final RecordWriter records = new RecordWriter();
  private String file = "";
  private int eventCount;
  private long lastTimeMicros;
  private long lastRecordOffset;
  private boolean inOrder = true;

  /**
   * Writes {@code e}, with {@code recordCount} usable records ({@link RangeEvents#usableRecords}).
   */
  void add(PlacedDnsEvent e, int recordCount) {
    DnsMessage m = e.message();
    String file = e.file();
    long timeMicros = e.timeMicros();
    long recordOffset = e.recordOffset();
    if (eventCount == 0) {
      this.file = file;
    } else if (!this.file.equals(file)) {
      throw new IllegalArgumentException(
          "a partial holds events of one file: " + this.file + " and " + file);
    } else if (timeMicros < lastTimeMicros
        || (timeMicros == lastTimeMicros && recordOffset < lastRecordOffset)) {
      inOrder = false;
    }
    boolean isResponse = m.isResponse();
    int nameIndex =
        DnsEventWire.writeEventStart(
            timeMicros,
            recordOffset,
            lastTimeMicros,
            lastRecordOffset,
            isResponse,
            e.clientHigh(),
            e.clientLow(),
            e.clientPort(),
            e.serverHigh(),
            e.serverLow(),
            m.id(),
            m.questionName(),
            // A query carries no answers (DnsEvent.query).
            isResponse ? m.answerCount() : 0,
            recordCount,
            names,
            body);
    queryNames.set(nameIndex);
    if (isResponse) {
      RangeEvents.usableRecords(m, records);
    }
    lastTimeMicros = timeMicros;
    lastRecordOffset = recordOffset;
    eventCount++;
  }

  boolean isEmpty() {
    return eventCount == 0;
  }

  /** Whether the query name of an event written is one of {@code names} (DNS's equality). */
  boolean hasQueryNameIn(Set<DnsName> names) {
    for (int i = queryNames.nextSetBit(0); i >= 0; i = queryNames.nextSetBit(i + 1)) {
      if (names.contains(this.names.nameAt(i))) {
        return true;
      }
    }
    return false;
  }

  /** Whether the query name of an event written is none of {@code names} (DNS's equality). */
  boolean hasQueryNameNotIn(Set<DnsName> names) {
    for (int i = queryNames.nextSetBit(0); i >= 0; i = queryNames.nextSetBit(i + 1)) {
      if (!names.contains(this.names.nameAt(i))) {
        return true;
      }
    }
    return false;
  }

  /**
   * The partial of the events written, with {@code report}: {@link DnsPartial#of} of them. {@code
   * scratch} is a buffer to use meanwhile.
   */
  DnsPartial toPartial(RunReport report, BytesOutput scratch) {
    DnsPartial written = DnsPartial.assemble(file, names, body, eventCount, report, scratch);
    return inOrder ? written : DnsPartial.of(events(written), report);
  }

  /** The events written, in the order they were. */
  List<DnsEvent> events(BytesOutput scratch) {
    return events(DnsPartial.assemble(file, names, body, eventCount, RunReport.empty(), scratch));
  }

  private static List<DnsEvent> events(DnsPartial written) {
    List<DnsEvent> events = new ArrayList<>(written.eventCount());
    Iterator<DnsEvent> it = written.events(new DnsNameTable.Interner());
    while (it.hasNext()) {
      events.add(it.next());
    }
    return events;
  }

  /** Forgets the events written, keeping the buffers for the next partial. */
  void reset() {
    names.clear();
    body.reset();
    queryNames.clear();
    file = "";
    eventCount = 0;
    lastTimeMicros = 0;
    lastRecordOffset = 0;
    inOrder = true;
  }

  /** Writes a response's usable records after its start. */
  private final class RecordWriter implements DnsEventRecord.Visitor {
    @Override
    public void address(DnsEventRecord.Section section, DnsName owner, IpAddress address) {
      DnsEventWire.writeAddress(section, owner, address, names, body);
    }

    @Override
    public void srv(DnsName service, DnsName target, int port, int priority, int weight) {
      DnsEventWire.writeSrv(service, target, port, priority, weight, names, body);
    }

    @Override
    public void cname(DnsName alias, DnsName target) {
      DnsEventWire.writeCname(alias, target, names, body);
    }
  }
}
