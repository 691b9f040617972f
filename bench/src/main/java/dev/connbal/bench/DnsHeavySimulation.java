package dev.connbal.bench;

import static dev.connbal.bench.FrameWriter.TCP_SYN;

import dev.connbal.bench.DnsHeavyScenario.Client;
import dev.connbal.bench.DnsHeavyScenario.Gate;
import dev.connbal.bench.DnsHeavyScenario.Kind;
import dev.connbal.bench.DnsHeavyScenario.Service;
import dev.connbal.bench.DnsHeavyScenario.Target;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Runs the DNS-heavy scenario of {@link TrafficGenerator} on a {@link SimulationClock}: only the
 * packets that the filter {@code (tcp and tcp[13] == 0x02) or (udp and port 53)} keeps, DNS over
 * UDP and opening SYNs. Every DNS backend listing and connection attempt is reported to the {@link
 * ExpectedTable} with the timestamp of the packet that carries it; the SRV knowledge the rules
 * build (which target names an SRV answer has named so far) is kept here as the responses go out.
 */
final class DnsHeavySimulation {
  /** A resolver answers every query after 1 ms. */
  private static final long DNS_DELAY_MICROS = 1_000;

  /** A lost query is repeated (same port and id) after 1 s. */
  private static final long DNS_RETRY_MICROS = 1_000_000;

  private static final long[] SYN_RETRANSMITS_MICROS = {1_000_000, 3_000_000};

  /** Written out, not connbal's DnsMessage.PORT: the generated traffic is the tests' oracle. */
  private static final int DNS_PORT = 53;

  private static final String CLUSTER_DOMAIN = ".cluster.local.";

  /** Steps, per thousand, that connect to an address without looking it up (configured). */
  private static final int CONFIGURED_PER_MILLE = 580;

  /** Steps, per thousand, that look up a name that does not exist. */
  private static final int NXDOMAIN_PER_MILLE = 5;

  /** While the legacy clients are active, one step in this many is a legacy lookup. */
  private static final int LEGACY_ODDS = 100;

  /** The legacy clients stop once 1 / LEGACY_PART of the capture is written. */
  private static final int LEGACY_PART = 4;

  /** How far the late SRV service is: the legacy clients first, then anyone. */
  private enum Phase {
    LEGACY,
    /** No new legacy lookup; waiting for the outstanding ones to be answered. */
    DRAINING,
    LEARNING
  }

  private final SplittableRandom rnd;
  private final SimulationClock clock;
  private final FrameWriter frames;
  private final ExpectedTable expected;
  private final List<Service> services;
  private final List<Client> clients;
  private final List<Client> legacyClients;
  private final Service legacyTarget;
  private final byte[][] zoneWire;
  private final byte[][] nameServerWire;
  private final int[] rotation;
  private final DnsWire dns = new DnsWire();
  private final byte[] nxdomainName = DnsWire.encodeName("wpad.corp.example.");

  /** Target names an SRV answer has named so far: the rules' SRV knowledge. */
  private final Set<String> knownTargets = new HashSet<>();

  private final int isnMask;
  private Phase phase = Phase.LEGACY;
  private int legacyOutstanding;
  private long attempts;

  DnsHeavySimulation(SplittableRandom rnd, FrameWriter frames, ExpectedTable expected) {
    this.rnd = rnd;
    this.clock = new SimulationClock(rnd);
    this.frames = frames;
    this.expected = expected;
    this.services = DnsHeavyScenario.services();
    this.clients = DnsHeavyScenario.clients(rnd, services);
    this.legacyClients = DnsHeavyScenario.legacyClients(rnd);
    this.legacyTarget =
        services.stream()
            .filter(s -> s.kind() == Kind.SRV_TARGET && s.gate() == Gate.ONCE_KNOWN)
            .findFirst()
            .orElseThrow();
    this.rotation = new int[services.size()];
    this.zoneWire = new byte[services.size()][];
    this.nameServerWire = new byte[services.size()][];
    for (Service s : services) {
      // Cluster DNS (CoreDNS) answers without an authority section.
      String zone = DnsWire.srvZone(s.name());
      if (!zone.endsWith(CLUSTER_DOMAIN)) {
        zoneWire[s.index()] = DnsWire.encodeName(zone);
        nameServerWire[s.index()] = DnsWire.encodeName("ns1." + zone);
      }
    }
    this.isnMask = rnd.nextInt();
  }

  /** Writes traffic until {@code targetBytes} are written, then lets pending packets out. */
  void run(long targetBytes) throws IOException {
    while (frames.bytesWritten() < targetBytes) {
      clock.runDue();
      advancePhase(targetBytes);
      step();
    }
    clock.drain();
  }

  private void advancePhase(long targetBytes) {
    if (phase == Phase.LEGACY && frames.bytesWritten() >= targetBytes / LEGACY_PART) {
      phase = Phase.DRAINING;
    }
    if (phase == Phase.DRAINING && legacyOutstanding == 0) {
      phase = Phase.LEARNING;
    }
  }

  private void step() throws IOException {
    if (phase == Phase.LEGACY && rnd.nextInt(LEGACY_ODDS) == 0) {
      legacyOutstanding++;
      lookup(legacyClients.get(rnd.nextInt(legacyClients.size())), legacyTarget);
      return;
    }
    Client c = clients.get(rnd.nextInt(clients.size()));
    int r = rnd.nextInt(1000);
    if (r < NXDOMAIN_PER_MILLE) {
      nxdomainLookup(c);
    } else if (r < NXDOMAIN_PER_MILLE + CONFIGURED_PER_MILLE) {
      connectConfigured(c);
    } else {
      Service s = services.get(c.services[rnd.nextInt(c.services.length)]);
      lookup(c, open(s) ? s : services.get(c.services[0]));
    }
  }

  /** Whether the ordinary clients may look {@code s} up now. */
  private boolean open(Service s) {
    return switch (s.gate()) {
      case OPEN -> true;
      case AFTER_LEGACY -> phase == Phase.LEARNING;
      case ONCE_KNOWN -> knownTargets.contains(s.name());
    };
  }

  // ---- Connections: SYNs only, the rest of each connection is filtered out.

  /**
   * A connection to an address the client did not look up: one of the servers it reaches by
   * configured address (two in three), or an address of its first name's pool on that name's first
   * port, which counts once that address is its backend.
   */
  private void connectConfigured(Client c) throws IOException {
    if (rnd.nextInt(3) == 0) {
      Service s = services.get(c.services[0]);
      connect(c, s.addresses()[rnd.nextInt(s.addresses().length)], s.ports()[0]);
    } else {
      int[] servers = DnsHeavyScenario.CONFIGURED_SERVERS;
      int[] ports = DnsHeavyScenario.CONFIGURED_PORTS;
      connect(c, servers[rnd.nextInt(servers.length)], ports[rnd.nextInt(ports.length)]);
    }
  }

  /** A connection attempt: a SYN, retransmitted with the same ISN after 1 s and 3 s in 2 %. */
  private void connect(Client c, int server, int port) throws IOException {
    int clientPort = c.ephemeralPort();
    long isn = ((++attempts * 0x9E3779B1L) ^ isnMask) & 0xffffffffL; // unique per attempt
    long t = clock.tick();
    frames.tcp(t, FrameWriter.NO_VLAN, c.address, clientPort, server, port, isn, 0, TCP_SYN, 0);
    expected.attempt(c.address, server, port, t);
    if (rnd.nextInt(100) < 2) {
      for (long delay : SYN_RETRANSMITS_MICROS) {
        clock.schedule(
            t + delay,
            () ->
                frames.tcp(
                    clock.tick(),
                    FrameWriter.NO_VLAN,
                    c.address,
                    clientPort,
                    server,
                    port,
                    isn,
                    0,
                    TCP_SYN,
                    0));
      }
    }
  }

  private int pickPort(Service s) {
    int[] ports = s.ports();
    if (ports.length == 1 || rnd.nextInt(10) < 8) {
      return ports[0];
    }
    return ports[1 + rnd.nextInt(ports.length - 1)];
  }

  // ---- DNS.

  /**
   * Looks {@code s} up (A or SRV, plus AAAA for dual-stack clients and address names); the answer
   * is followed by a connection. One query in a hundred is lost and repeated, except the legacy
   * clients': their answers must all precede the first SRV answer of their target.
   */
  private void lookup(Client c, Service s) throws IOException {
    int port = c.ephemeralPort();
    int id = rnd.nextInt(65536);
    int type = s.kind() == Kind.SRV ? DnsWire.TYPE_SRV : DnsWire.TYPE_A;
    long sent = sendQuery(c, port, id, s.wire(), type);
    if (c.dualStack && s.kind() != Kind.SRV && s.kind() != Kind.SRV_TARGET) {
      aaaaLookup(c, s);
    }
    SimulationClock.Action answer = () -> answer(c, s, port, id);
    if (!c.isLegacy() && rnd.nextInt(100) == 0) {
      // Lost: the stub repeats the identical query; the response answers the latest one.
      clock.schedule(
          sent + DNS_RETRY_MICROS,
          () -> {
            long resent = sendQuery(c, port, id, s.wire(), type);
            clock.schedule(resent + DNS_DELAY_MICROS, answer);
          });
    } else {
      clock.schedule(sent + DNS_DELAY_MICROS, answer);
    }
  }

  private long sendQuery(Client c, int port, int id, byte[] name, int type) throws IOException {
    dns.query(id, name, type);
    long t = clock.tick();
    frames.udp(
        t, FrameWriter.NO_VLAN, c.address, port, c.resolver, DNS_PORT, dns.buffer(), dns.length());
    return t;
  }

  private long sendResponse(Client c, int port) throws IOException {
    long t = clock.tick();
    frames.udp(
        t, FrameWriter.NO_VLAN, c.resolver, DNS_PORT, c.address, port, dns.buffer(), dns.length());
    return t;
  }

  /** The resolver's answer to a lookup of {@code s}; the client then connects. */
  private void answer(Client c, Service s, int port, int id) throws IOException {
    int[] order = answerOrder(s);
    int server;
    int serverPort;
    switch (s.kind()) {
      case MULTI_A -> {
        dns.response(id, s.wire(), DnsWire.TYPE_A, order.length, 0, 1);
        for (int k : order) {
          dns.a(DnsWire.QUESTION_NAME, s.addresses()[k]);
        }
        dns.opt();
        long t = sendResponse(c, port);
        for (int k : order) {
          expected.listed(c.address, s.addresses()[k], s.name(), ExpectedTable.NO_SRV_PORT, t);
        }
        server = s.addresses()[order[pick(c, order.length)]];
        serverPort = pickPort(s);
      }
      case SRV -> {
        srvAnswer(c, s, port, id, order);
        Target target = s.targets().get(order[pick(c, order.length)]);
        server = target.addresses()[0];
        serverPort = target.port();
      }
      case SRV_TARGET -> {
        targetAnswer(c, s, port, id, order);
        server = s.addresses()[order[pick(c, order.length)]];
        serverPort = s.ports()[0];
      }
      case CNAME -> {
        dns.response(id, s.wire(), DnsWire.TYPE_A, 2, 0, 1);
        dns.a(dns.cname(s.canonical()), s.addresses()[0]);
        dns.opt();
        sendResponse(c, port);
        server = s.addresses()[0];
        serverPort = pickPort(s);
      }
      case SINGLE_A -> {
        dns.response(id, s.wire(), DnsWire.TYPE_A, 1, 0, 1);
        dns.a(DnsWire.QUESTION_NAME, s.addresses()[0]);
        dns.opt();
        sendResponse(c, port);
        server = s.addresses()[0];
        serverPort = pickPort(s);
      }
      default -> throw new IllegalStateException("unknown kind " + s.kind());
    }
    if (c.isLegacy()) {
      legacyOutstanding--;
    }
    clock.schedule(clock.now() + 20 + rnd.nextInt(300), () -> connect(c, server, serverPort));
  }

  /** Which of {@code n} answered addresses or targets the client connects to. */
  private int pick(Client c, int n) {
    return c.picksRandom ? rnd.nextInt(n) : 0;
  }

  /**
   * Every target, rotated, then an NS authority record (outside cluster DNS), then each target's A
   * records (owners compressed to the target) and OPT. The answer teaches the targets, then its A
   * records are backends of the service on their target's port.
   */
  private void srvAnswer(Client c, Service s, int port, int id, int[] order) throws IOException {
    byte[] zone = zoneWire[s.index()];
    dns.response(
        id,
        s.wire(),
        DnsWire.TYPE_SRV,
        order.length,
        zone == null ? 0 : 1,
        s.addresses().length + 1);
    int[] targetOffsets = new int[order.length];
    for (int i = 0; i < order.length; i++) {
      Target target = s.targets().get(order[i]);
      targetOffsets[i] = dns.srv(target.port(), target.wire());
    }
    if (zone != null) {
      dns.ns(zone, nameServerWire[s.index()]);
    }
    for (int i = 0; i < order.length; i++) {
      for (int address : s.targets().get(order[i]).addresses()) {
        dns.a(targetOffsets[i], address);
      }
    }
    dns.opt();
    long t = sendResponse(c, port);
    for (int k : order) {
      Target target = s.targets().get(k);
      knownTargets.add(target.name());
      for (int address : target.addresses()) {
        expected.listed(c.address, address, s.name(), target.port(), t);
      }
    }
  }

  /**
   * The A records of an SRV target looked up by name. Once an SRV answer has named the target, they
   * are backends of that SRV service on the target's port; before, they are an ordinary answer,
   * backends named after the target only when there are several (the legacy clients').
   */
  private void targetAnswer(Client c, Service s, int port, int id, int[] order) throws IOException {
    dns.response(id, s.wire(), DnsWire.TYPE_A, order.length, 0, 1);
    for (int k : order) {
      dns.a(DnsWire.QUESTION_NAME, s.addresses()[k]);
    }
    dns.opt();
    long t = sendResponse(c, port);
    boolean known = knownTargets.contains(s.name());
    if (!known && order.length < 2) {
      return;
    }
    String name = known ? services.get(s.srvService()).name() : s.name();
    int srvPort = known ? s.ports()[0] : ExpectedTable.NO_SRV_PORT;
    for (int k : order) {
      expected.listed(c.address, s.addresses()[k], name, srvPort, t);
    }
  }

  /**
   * Indices that one response lists, in answer order: a window of the pool that rotates with every
   * response (round-robin DNS), every SRV target, or every address of a target, rotated.
   */
  private int[] answerOrder(Service s) {
    int n = s.kind() == Kind.SRV ? s.targets().size() : s.addresses().length;
    int start = rotation[s.index()]++ % n;
    int[] order = new int[s.answerSize()];
    for (int i = 0; i < order.length; i++) {
      order[i] = (start + i) % n;
    }
    return order;
  }

  /** An AAAA lookup of the same name, answered with one AAAA record: never a backend. */
  private void aaaaLookup(Client c, Service s) throws IOException {
    int port = c.ephemeralPort();
    int id = rnd.nextInt(65536);
    long sent = sendQuery(c, port, id, s.wire(), DnsWire.TYPE_AAAA);
    clock.schedule(
        sent + DNS_DELAY_MICROS,
        () -> {
          dns.response(id, s.wire(), DnsWire.TYPE_AAAA, 1, 0, 1).aaaa(s.index() * 16 + 1).opt();
          sendResponse(c, port);
        });
  }

  /** A lookup of a name that does not exist: a response without answers, not an event. */
  private void nxdomainLookup(Client c) throws IOException {
    int port = c.ephemeralPort();
    int id = rnd.nextInt(65536);
    long sent = sendQuery(c, port, id, nxdomainName, DnsWire.TYPE_A);
    clock.schedule(
        sent + DNS_DELAY_MICROS,
        () -> {
          dns.nxdomain(id, nxdomainName, DnsWire.TYPE_A);
          sendResponse(c, port);
        });
  }
}
