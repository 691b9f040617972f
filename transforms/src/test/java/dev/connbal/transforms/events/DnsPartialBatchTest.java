package dev.connbal.transforms.events;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import dev.connbal.transforms.decode.DnsDecodeException;
import dev.connbal.transforms.decode.DnsMessage;
import dev.connbal.transforms.decode.DnsMessageReader;
import dev.connbal.transforms.decode.DnsName;
import dev.connbal.transforms.decode.DnsNameCache;
import dev.connbal.transforms.decode.DnsRecord;
import dev.connbal.transforms.keys.IpAddress;
import dev.connbal.transforms.keys.Shards;
import dev.connbal.transforms.report.RunReport;
import dev.connbal.transforms.testing.RawDns;
import dev.connbal.transforms.timeline.SrvLearner;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Writing each DNS event into its shard's partial as it is decoded ({@link DnsPartialBatch}) gives
 * the bytes that making the events first and then {@link DnsPartial#of} of each shard's and SRV
 * names' share gives (the reference below, which is how pass 1 made its partials before): the same
 * partials, in the same order, with the report on the same one, and the same SRV names.
 */
class DnsPartialBatchTest {
  private static final String FILE = "capture-0001.snoop";
  private static final long S = 1_000_000L;
  private static final IpAddress SERVER = IpAddress.parse("10.0.0.53");

  /** Query names, with an SRV name in two spellings and an SRV target also looked up by name. */
  private static final String[] NAMES = {
    "_a._tcp.lb.test",
    "_A._TCP.lb.test",
    "_b._tcp.lb.test",
    "web.lb.test",
    "WEB.lb.test",
    "t1.lb.test",
    "t2.lb.test",
    "other.test",
  };

  private static final String[] TARGETS = {"t1.lb.test", "T1.lb.test", "t2.lb.test", "t3.lb.test"};

  @Property(tries = 400)
  void writtenAsDecodedIsWhatDnsPartialOfMakes(@ForAll long seed) {
    Random rnd = new Random(seed);
    Shards shards = new Shards(new int[] {1, 2, 7, 256}[rnd.nextInt(4)]);
    @Nullable String nameFilter = rnd.nextInt(8) == 0 ? "lb" : null;
    List<Packet> packets = randomTraffic(rnd);
    List<List<Object>> batchesOld = new ArrayList<>();
    List<List<Object>> batchesNew = new ArrayList<>();
    Reference reference = new Reference(shards);
    DnsPartialBatch batch = new DnsPartialBatch(shards);
    int flushEvery = 1 + rnd.nextInt(60);
    for (Packet p : packets) {
      boolean isEvent = reference.add(nameFilter, p);
      assertThat(add(batch, nameFilter, p), is(isEvent));
      if (batch.eventCount() >= flushEvery) {
        batchesOld.add(reference.output(RunReport.empty()));
        batchesNew.add(outputOf(batch, RunReport.empty()));
      }
    }
    RunReport report = RunReport.builder().setPackets(packets.size()).build();
    batchesOld.add(reference.output(report));
    batchesNew.add(outputOf(batch, report));
    assertThat(batchesNew, equalTo(batchesOld));
    Statistics.label("clock steps back").collect(packets.stream().anyMatch(p -> p.stepsBack));
    Statistics.label("batches with SRV partials")
        .collect(batchesOld.stream().anyMatch(b -> b.stream().anyMatch(o -> o instanceof Srv)));
  }

  /** An event of a clock that stepped back is put in its place, in a partial of one shard. */
  @Example
  void anEventBeforeTheLastIsSortedIntoPlace() {
    Shards shards = new Shards(1);
    List<Packet> packets =
        List.of(
            query(10 * S, 100, "web.lb.test", 1),
            query(11 * S, 200, "web.lb.test", 2),
            // The clock steps back 5 s, then goes on.
            response(6 * S, 300, "web.lb.test", 1, a("web.lb.test", 1), a("web.lb.test", 2)),
            query(12 * S, 400, "other.test", 3));
    List<Object> written = outputOf(batchOf(shards, packets), RunReport.empty());
    assertThat(written, equalTo(referenceOf(shards, packets)));
    DnsPartial partial = ((Main) written.get(0)).partial();
    List<Long> times = new ArrayList<>();
    partial
        .events(new DnsNameTable.Interner())
        .forEachRemaining(e -> times.add(e.order().timestampMicros()));
    assertThat(times, contains(6 * S, 10 * S, 11 * S, 12 * S));
  }

  /**
   * Equal times are in order (the record offset decides), and a step back in one shard's partial
   * leaves the others as written.
   */
  @Example
  void equalTimesAreInOrderAndAStepBackTouchesOneShard() {
    Shards shards = new Shards(256);
    List<Packet> packets = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      packets.add(query(S, 100 + i, "web.lb.test", i));
    }
    packets.add(query(0, 200, "web.lb.test", 7));
    assertThat(
        outputOf(batchOf(shards, packets), RunReport.empty()),
        equalTo(referenceOf(shards, packets)));
  }

  /**
   * A name found to be an SRV name late in the batch takes its earlier events, which were written
   * into the shard's other partial, to the SRV partial; in either spelling.
   */
  @Example
  void eventsOfANameFoundToBeSrvLaterMoveToTheSrvPartial() {
    Shards shards = new Shards(2);
    List<Packet> packets =
        List.of(
            query(S, 100, "_A._TCP.lb.test", 1),
            query(2 * S, 200, "web.lb.test", 2),
            response(3 * S, 300, "web.lb.test", 2, a("web.lb.test", 1), a("web.lb.test", 2)),
            query(4 * S, 400, "_a._tcp.lb.test", 3),
            response(5 * S, 500, "_a._tcp.lb.test", 3, srv("_a._tcp.lb.test", "t1.lb.test")),
            query(6 * S, 600, "_a._tcp.lb.test", 4));
    List<Object> written = outputOf(batchOf(shards, packets), RunReport.empty());
    assertThat(written, equalTo(referenceOf(shards, packets)));
    int otherEvents = 0;
    int srvEvents = 0;
    for (Object o : written) {
      if (o instanceof Main main) {
        otherEvents += main.partial().eventCount();
      } else if (o instanceof Srv srv) {
        srvEvents += srv.partial().eventCount();
      }
    }
    assertThat(otherEvents, is(2));
    assertThat(srvEvents, is(4));
    assertThat(written.get(written.size() - 1), equalTo(List.of("_a._tcp.lb.test.")));
  }

  /**
   * An SRV name of an earlier batch that this batch answers with no SRV record is no SRV name of
   * this batch: its events go to the other partial. Also past the SRV names a batch remembers.
   */
  @Example
  void anSrvNameOfAnEarlierBatchOnlyIsNoSrvNameOfThisOne() {
    for (int names : new int[] {1, DnsPartialBatch.MAX_EARLIER_SRV_NAMES + 5}) {
      Shards shards = new Shards(4);
      List<Packet> first = new ArrayList<>();
      for (int i = 0; i < names; i++) {
        String service = "_s" + i + "._tcp.lb.test";
        first.add(query(i * S, 100 + 2 * i, service, i));
        first.add(response(i * S + 1, 101 + 2 * i, service, i, srv(service, "t1.lb.test")));
      }
      List<Packet> second =
          List.of(
              query(names * S, 10_000_000, "_s0._tcp.lb.test", 1),
              response(
                  names * S + 1,
                  10_000_100,
                  "_s0._tcp.lb.test",
                  1,
                  a("_s0._tcp.lb.test", 1),
                  a("_s0._tcp.lb.test", 2)));
      DnsPartialBatch batch = batchOf(shards, first);
      List<Object> expectedFirst = referenceOf(shards, first);
      assertThat(outputOf(batch, RunReport.empty()), equalTo(expectedFirst));
      second.forEach(p -> add(batch, null, p));
      List<Object> written = outputOf(batch, RunReport.empty());
      assertThat(written, equalTo(referenceOf(shards, second)));
      assertThat(written.stream().filter(o -> o instanceof Srv).count(), is(0L));
    }
  }

  /** A batch without events is one empty partial in shard 0 with the report. */
  @Example
  void noEventsIsOneEmptyPartialWithTheReport() {
    RunReport report = RunReport.builder().setPackets(3).build();
    assertThat(
        outputOf(new DnsPartialBatch(new Shards(8)), report),
        contains(new Main(0, new DnsPartial("", new byte[] {0}, 0, report))));
  }

  // ---- the reference: events as objects, split by shard and SRV names, DnsPartial.of each ----

  /** How pass 1 made its partials before they were written as decoded. */
  private static final class Reference {
    private final Shards shards;
    private final List<DnsEvent> events = new ArrayList<>();
    private final Set<DnsName> srvNames = new HashSet<>();

    Reference(Shards shards) {
      this.shards = shards;
    }

    /** Adds the event of {@code p}; whether there is one. */
    boolean add(@Nullable String nameFilter, Packet p) {
      DnsEvent event =
          RangeEvents.toEvent(
              nameFilter, p.src, p.srcPort, p.dst, p.dstPort, p.message, p.time, FILE, p.offset);
      if (event == null) {
        return false;
      }
      events.add(event);
      if (SrvLearner.carriesSrv(event)) {
        srvNames.add(event.query().name());
      }
      return true;
    }

    List<Object> output(RunReport report) {
      Map<Integer, List<DnsEvent>> other = new TreeMap<>();
      Map<Integer, List<DnsEvent>> srv = new TreeMap<>();
      for (DnsEvent e : events) {
        (srvNames.contains(e.query().name()) ? srv : other)
            .computeIfAbsent(shards.ofClient(e.query().clientIp()), k -> new ArrayList<>())
            .add(e);
      }
      events.clear();
      List<Object> out = new ArrayList<>();
      RunReport left = report;
      for (Map.Entry<Integer, List<DnsEvent>> shard : other.entrySet()) {
        out.add(new Main(shard.getKey(), DnsPartial.of(shard.getValue(), left)));
        left = RunReport.empty();
      }
      for (Map.Entry<Integer, List<DnsEvent>> shard : srv.entrySet()) {
        out.add(new Srv(shard.getKey(), DnsPartial.of(shard.getValue(), left)));
        left = RunReport.empty();
      }
      if (out.isEmpty()) {
        out.add(new Main(0, DnsPartial.of(List.of(), report)));
      }
      if (!srvNames.isEmpty()) {
        out.add(spellings(List.copyOf(srvNames)));
        srvNames.clear();
      }
      return out;
    }
  }

  private record Main(int shard, DnsPartial partial) {}

  private record Srv(int shard, DnsPartial partial) {}

  private static List<Object> outputOf(DnsPartialBatch batch, RunReport report) {
    List<Object> out = new ArrayList<>();
    batch.output(
        report,
        new DnsPartialBatch.Output() {
          @Override
          public void partial(int shard, DnsPartial partial) {
            out.add(new Main(shard, partial));
          }

          @Override
          public void srvPartial(int shard, DnsPartial partial) {
            out.add(new Srv(shard, partial));
          }

          @Override
          public void srvNames(List<DnsName> names) {
            out.add(spellings(names));
          }
        });
    return out;
  }

  /** Names as they are spelled: DnsName's equality ignores case. */
  private static List<String> spellings(List<DnsName> names) {
    return names.stream().map(DnsName::presentation).toList();
  }

  /** Adds the event of {@code p} to {@code batch}; whether there is one. */
  private static boolean add(DnsPartialBatch batch, @Nullable String nameFilter, Packet p) {
    PlacedDnsEvent e = new PlacedDnsEvent();
    e.place(p.time, FILE, p.offset);
    if (!RangeEvents.placeEvent(
        nameFilter,
        p.src.high(),
        p.src.low(),
        p.srcPort,
        p.dst.high(),
        p.dst.low(),
        p.dstPort,
        p.message,
        e)) {
      return false;
    }
    batch.add(e);
    return true;
  }

  private static DnsPartialBatch batchOf(Shards shards, List<Packet> packets) {
    DnsPartialBatch batch = new DnsPartialBatch(shards);
    packets.forEach(p -> add(batch, null, p));
    return batch;
  }

  private static List<Object> referenceOf(Shards shards, List<Packet> packets) {
    Reference reference = new Reference(shards);
    packets.forEach(p -> reference.add(null, p));
    return reference.output(RunReport.empty());
  }

  // ---- traffic ----

  /** A DNS datagram of a range: addresses, ports, the decoded message, time and record offset. */
  private record Packet(
      IpAddress src,
      int srcPort,
      IpAddress dst,
      int dstPort,
      DnsMessage message,
      long time,
      long offset,
      boolean stepsBack) {}

  /** One reader for all messages, as a range has: names come back as shared instances. */
  private static final DnsMessageReader READER = new DnsMessageReader(new DnsNameCache());

  private static DnsMessage decode(byte[] wire) {
    try {
      synchronized (READER) {
        return READER.decode(wire, 0, wire.length);
      }
    } catch (DnsDecodeException e) {
      throw new AssertionError("the test wrote a malformed message", e);
    }
  }

  private static IpAddress client(int host) {
    return host % 3 == 0
        ? IpAddress.parse("2001:db8::" + Integer.toHexString(host))
        : IpAddress.parse("10.1." + (host / 250) + "." + (host % 250 + 1));
  }

  private static Packet query(long time, long offset, String name, int client) {
    return new Packet(
        client(client),
        40000 + client,
        SERVER,
        53,
        decode(RawDns.query(client, name, DnsRecord.A).build()),
        time,
        offset,
        false);
  }

  /** A response with the given answers (each written by a function of the message so far). */
  @SafeVarargs
  private static Packet response(
      long time, long offset, String name, int client, Consumer<RawDns>... answers) {
    RawDns m =
        RawDns.header(client, RawDns.FLAGS_RESPONSE, 1, answers.length, 0, 0)
            .name(name)
            .u16(DnsRecord.A)
            .u16(1);
    for (Consumer<RawDns> answer : answers) {
      answer.accept(m);
    }
    return new Packet(
        SERVER, 53, client(client), 40000 + client, decode(m.build()), time, offset, false);
  }

  private static Consumer<RawDns> a(String owner, int last) {
    return m -> m.name(owner).u16(DnsRecord.A).u16(1).u32(60).u16(4).bytes(192, 168, 0, last);
  }

  private static Consumer<RawDns> srv(String service, String target) {
    return m -> {
      byte[] t = RawDns.empty().name(target).build();
      m.name(service)
          .u16(DnsRecord.SRV)
          .u16(1)
          .u32(60)
          .u16(6 + t.length)
          .u16(1)
          .u16(10)
          .u16(8443)
          .bytes(t);
    };
  }

  /**
   * Random DNS traffic of one range: queries of A, AAAA and SRV (and of types and classes that are
   * no events), responses with A, AAAA, SRV, CNAME and other answers, records of other classes,
   * authority and additional records, truncated responses and responses of no answers, many clients
   * of both families; time rises, with ties and, in some ranges, steps back.
   */
  private static List<Packet> randomTraffic(Random rnd) {
    List<Packet> packets = new ArrayList<>();
    int clients = 1 + rnd.nextInt(rnd.nextBoolean() ? 8 : 400);
    boolean clockSteps = rnd.nextInt(3) == 0;
    long time = rnd.nextInt(1000) * S;
    long offset = 24;
    int n = rnd.nextInt(300);
    for (int i = 0; i < n; i++) {
      boolean stepsBack = clockSteps && rnd.nextInt(25) == 0;
      if (stepsBack) {
        time -= rnd.nextInt(5 * (int) S);
      } else if (rnd.nextInt(4) != 0) {
        time += rnd.nextInt((int) S);
      }
      offset += 60 + rnd.nextInt(500);
      IpAddress client = client(1 + rnd.nextInt(clients));
      int clientPort = 30000 + rnd.nextInt(4);
      int id = rnd.nextInt(4);
      String name = NAMES[rnd.nextInt(NAMES.length)];
      int qtype = new int[] {DnsRecord.A, DnsRecord.AAAA, DnsRecord.SRV, 15}[rnd.nextInt(4)];
      int qclass = rnd.nextInt(20) == 0 ? 3 : 1;
      boolean isResponse = rnd.nextBoolean();
      // Now and then a datagram to or from neither side's port 53: no event.
      int serverPort = rnd.nextInt(30) == 0 ? 5353 : 53;
      byte[] wire =
          isResponse
              ? randomResponse(rnd, id, name, qtype, qclass)
              : queryWire(id, name, qtype, qclass);
      DnsMessage m = decode(wire);
      packets.add(
          isResponse
              ? new Packet(SERVER, serverPort, client, clientPort, m, time, offset, stepsBack)
              : new Packet(client, clientPort, SERVER, serverPort, m, time, offset, stepsBack));
    }
    return packets;
  }

  private static byte[] queryWire(int id, String name, int qtype, int qclass) {
    return RawDns.header(id, RawDns.FLAGS_QUERY, 1, 0, 0, 0)
        .name(name)
        .u16(qtype)
        .u16(qclass)
        .build();
  }

  private static byte[] randomResponse(Random rnd, int id, String name, int qtype, int qclass) {
    int answers = rnd.nextInt(8) == 0 ? 0 : 1 + rnd.nextInt(4);
    int authorities = rnd.nextInt(4) == 0 ? 1 : 0;
    int additionals = rnd.nextInt(3);
    int flags = RawDns.FLAGS_RESPONSE | (rnd.nextInt(6) == 0 ? 0x0200 : 0);
    RawDns m =
        RawDns.header(id, flags, 1, answers, authorities, additionals)
            .name(name)
            .u16(qtype)
            .u16(qclass);
    for (int i = 0; i < answers; i++) {
      int recordClass = rnd.nextInt(15) == 0 ? 3 : 1;
      String owner = rnd.nextInt(3) == 0 ? TARGETS[rnd.nextInt(TARGETS.length)] : name;
      switch (rnd.nextInt(6)) {
        case 0, 1 -> addressRecord(rnd, m.name(owner), recordClass);
        case 2 -> {
          byte[] target = RawDns.empty().name(TARGETS[rnd.nextInt(TARGETS.length)]).build();
          m.name(name)
              .u16(DnsRecord.SRV)
              .u16(recordClass)
              .u32(60)
              .u16(6 + target.length)
              .u16(rnd.nextInt(3))
              .u16(rnd.nextInt(3) * 50)
              .u16(8000 + rnd.nextInt(3))
              .bytes(target);
        }
        case 3 -> {
          byte[] target = RawDns.empty().name(TARGETS[rnd.nextInt(TARGETS.length)]).build();
          m.name(name)
              .u16(DnsRecord.CNAME)
              .u16(recordClass)
              .u32(60)
              .u16(target.length)
              .bytes(target);
        }
        case 4 -> m.name(owner).u16(16).u16(recordClass).u32(60).u16(2).bytes(1, 'x');
        default -> addressRecord(rnd, m.pointer(RawDns.QUESTION_OFFSET), recordClass);
      }
    }
    for (int i = 0; i < authorities; i++) {
      addressRecord(rnd, m.name("ns.lb.test"), 1);
    }
    for (int i = 0; i < additionals; i++) {
      if (rnd.nextInt(4) == 0) {
        m.root().u16(DnsRecord.OPT).u16(1232).u32(0).u16(0);
      } else {
        addressRecord(
            rnd, m.name(TARGETS[rnd.nextInt(TARGETS.length)]), rnd.nextInt(10) == 0 ? 3 : 1);
      }
    }
    return m.build();
  }

  /** The type, class and rdata of an A or AAAA record after its owner. */
  private static void addressRecord(Random rnd, RawDns m, int recordClass) {
    if (rnd.nextBoolean()) {
      m.u16(DnsRecord.A)
          .u16(recordClass)
          .u32(60)
          .u16(4)
          .bytes(192, 168, rnd.nextInt(2), rnd.nextInt(4));
    } else {
      m.u16(DnsRecord.AAAA).u16(recordClass).u32(60).u16(16);
      m.bytes(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 + rnd.nextInt(4));
    }
  }
}
