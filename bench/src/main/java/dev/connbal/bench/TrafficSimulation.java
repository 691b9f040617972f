package dev.connbal.bench;

import static dev.connbal.bench.FrameWriter.MSS;
import static dev.connbal.bench.FrameWriter.TCP_ACK;
import static dev.connbal.bench.FrameWriter.TCP_CWR;
import static dev.connbal.bench.FrameWriter.TCP_ECE;
import static dev.connbal.bench.FrameWriter.TCP_FIN;
import static dev.connbal.bench.FrameWriter.TCP_PSH;
import static dev.connbal.bench.FrameWriter.TCP_RST;
import static dev.connbal.bench.FrameWriter.TCP_SYN;

import dev.connbal.bench.Scenario.Behaviour;
import dev.connbal.bench.Scenario.Client;
import dev.connbal.bench.Scenario.Kind;
import dev.connbal.bench.Scenario.Service;
import dev.connbal.bench.Scenario.SrvTarget;
import dev.connbal.bench.SimulationClock.Action;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Runs the full-traffic scenario of {@link TrafficGenerator}: a discrete-event simulation on a
 * {@link SimulationClock}. Every DNS backend listing and connection attempt is reported to the
 * {@link ExpectedTable} with the timestamp of the packet that carries it.
 */
final class TrafficSimulation {
  /** Connections open or being set up; a new one starts whenever fewer are. */
  private static final int OPEN_TARGET = 48;

  private static final int CONNECTIONS_FROM_BEFORE_CAPTURE = 24;

  /** A resolver answers every query after 1 ms. */
  private static final long DNS_DELAY_MICROS = 1_000;

  /** A lost query is repeated (same port and id) after 1 s. */
  private static final long DNS_RETRY_MICROS = 1_000_000;

  private static final long CACHE_TTL_MICROS = 30_000_000;
  private static final long[] SYN_RETRANSMITS_MICROS = {1_000_000, 3_000_000};

  /** Answers that are bulk transfers (full-size segments), per thousand requests. */
  private static final int BULK_ANSWERS_PER_MILLE = 2;

  private static final int MAX_BULK_FULL_SEGMENTS = 16;

  /** Requests the server acknowledges on their own before answering, in percent. */
  private static final int SERVER_ACK_PERCENT = 30;

  /** Answers the client acknowledges on their own (delayed ACK), in percent. */
  private static final int CLIENT_ACK_PERCENT = 70;

  /** Written out, not connbal's DnsMessage.PORT: the generated traffic is the tests' oracle. */
  private static final int DNS_PORT = 53;

  private static final int GATEWAY = Scenario.ip(10, 1, 0, 254);
  private static final int IPV6_RESOLVER_HOST = 0x53;

  /** Where an established connection is in its current request/response exchange. */
  private enum Phase {
    /** The client sends its next request, or closes when no exchange is left. */
    REQUEST,
    /** The server acknowledges the request on its own before it answers (a slow answer). */
    SERVER_ACK,
    /** The server answers: full-size segments first (bulk answers), then the last one. */
    RESPONSE,
    /** The client's delayed ACK of the answer (otherwise the next request carries it). */
    CLIENT_ACK
  }

  /** An established TCP connection: request/response exchanges, then a FIN exchange. */
  private static final class Connection {
    final Client client;
    final int clientPort;
    final int server;
    final int serverPort;
    long clientSeq;
    long serverSeq;

    /** Exchanges not yet answered, the current one included. */
    int remainingExchanges;

    Phase phase = Phase.REQUEST;

    /** Full-size segments the current answer sends before its last segment. */
    int fullSegmentsLeft;

    /** Payload bytes of the current answer's last segment. */
    int lastSegmentLength;

    /** Full-size segments the client has not acknowledged yet (it ACKs every second one). */
    int unacked;

    Connection(
        Client client,
        int clientPort,
        int server,
        int serverPort,
        long clientSeq,
        long serverSeq,
        int exchanges) {
      this.client = client;
      this.clientPort = clientPort;
      this.server = server;
      this.serverPort = serverPort;
      this.clientSeq = clientSeq;
      this.serverSeq = serverSeq;
      this.remainingExchanges = exchanges;
    }
  }

  private final SplittableRandom rnd;
  private final FrameWriter frames;
  private final ExpectedTable expected;
  private final List<Service> services;
  private final List<Client> clients;
  private final byte[][] zoneWire;
  private final byte[][] nameServerWire;
  private final int[] rotation;
  private final DnsWire dns = new DnsWire();
  private final byte[] nxdomainName = DnsWire.encodeName("wpad.corp.example.");
  private final SimulationClock clock;
  private final List<Connection> connections = new ArrayList<>();
  private final int isnMask;
  private int connecting;
  private long attempts;

  TrafficSimulation(SplittableRandom rnd, FrameWriter frames, ExpectedTable expected) {
    this.rnd = rnd;
    this.clock = new SimulationClock(rnd);
    this.frames = frames;
    this.expected = expected;
    this.services = Scenario.services();
    this.clients = Scenario.clients(rnd, services.size());
    this.rotation = new int[services.size()];
    this.zoneWire = new byte[services.size()][];
    this.nameServerWire = new byte[services.size()][];
    for (Service s : services) {
      String zone = DnsWire.srvZone(s.name());
      zoneWire[s.index()] = DnsWire.encodeName(zone);
      nameServerWire[s.index()] = DnsWire.encodeName("ns1." + zone);
    }
    this.isnMask = rnd.nextInt();
  }

  /** Writes traffic until {@code targetBytes} are written, then lets pending packets out. */
  void run(long targetBytes) throws IOException {
    fillCachesFromBeforeCapture();
    openConnectionsFromBeforeCapture();
    while (frames.bytesWritten() < targetBytes) {
      clock.runDue();
      step();
    }
    clock.drain();
  }

  private void step() throws IOException {
    if (connections.size() + connecting < OPEN_TARGET) {
      startConnection();
      return;
    }
    int r = rnd.nextInt(1000);
    if (r < 2) {
      arpNoise();
    } else if (r < 4) {
      ipv6Noise();
    } else if (r < 5) {
      nxdomainLookup();
    } else {
      connectionSegment();
    }
  }

  private void schedule(long due, Action action) {
    clock.schedule(due, action);
  }

  private long tick() {
    return clock.tick();
  }

  // ---- What clients knew and did before the capture started.

  /**
   * Caching clients may hold answers from before the capture: their first connections predate any
   * DNS in it.
   */
  private void fillCachesFromBeforeCapture() {
    for (Client c : clients) {
      if (c.behaviour == Behaviour.RESOLVE_EACH) {
        continue;
      }
      for (int index : c.services) {
        if (rnd.nextBoolean()) {
          cacheAnswer(
              c,
              services.get(index),
              answerOrder(services.get(index)),
              SimulationClock.START_MICROS + rnd.nextLong(CACHE_TTL_MICROS));
        }
      }
    }
  }

  private void openConnectionsFromBeforeCapture() {
    for (int i = 0; i < CONNECTIONS_FROM_BEFORE_CAPTURE; i++) {
      Client c = clients.get(rnd.nextInt(clients.size()));
      Service s = services.get(c.services[rnd.nextInt(c.services.length)]);
      int k = rnd.nextInt(s.addresses().length);
      int port = s.kind() == Kind.SRV ? s.targets().get(k).port() : pickPort(s);
      connections.add(
          new Connection(
              c,
              c.ephemeralPort(),
              s.addresses()[k],
              port,
              rnd.nextInt(),
              rnd.nextInt(),
              exchangeCount()));
    }
  }

  // ---- Connections.

  private void startConnection() throws IOException {
    Client c = clients.get(rnd.nextInt(clients.size()));
    Service s = services.get(c.services[rnd.nextInt(c.services.length)]);
    connecting++;
    boolean cached = c.cachedAddresses[s.index()] != null && c.cacheExpiry[s.index()] > clock.now();
    if (c.behaviour == Behaviour.RESOLVE_EACH || !cached) {
      lookup(c, s);
    } else {
      connect(c, s);
    }
  }

  private void connect(Client c, Service s) throws IOException {
    connecting--;
    int[] addresses = c.cachedAddresses[s.index()];
    int k = c.behaviour == Behaviour.CACHE_RANDOM ? rnd.nextInt(addresses.length) : 0;
    int server = addresses[k];
    int port = s.kind() == Kind.SRV ? c.cachedPorts[s.index()][k] : pickPort(s);
    int clientPort = c.ephemeralPort();
    long isn = ((++attempts * 0x9E3779B1L) ^ isnMask) & 0xffffffffL; // unique per attempt
    boolean ecn = rnd.nextInt(10) < 3;
    int synFlags = ecn ? TCP_SYN | TCP_ECE | TCP_CWR : TCP_SYN;
    long t = tick();
    frames.tcp(t, c.vlan, c.address, clientPort, server, port, isn, 0, synFlags, 0);
    expected.attempt(c.address, server, port, t);
    int outcome = rnd.nextInt(100);
    if (outcome < 2) {
      // The backend is down: the SYN is retransmitted, the same attempt.
      for (long delay : SYN_RETRANSMITS_MICROS) {
        schedule(
            t + delay,
            () ->
                frames.tcp(
                    tick(), c.vlan, c.address, clientPort, server, port, isn, 0, synFlags, 0));
      }
    } else if (outcome < 4) {
      frames.tcp(
          tick(), c.vlan, server, port, c.address, clientPort, 0, isn + 1, TCP_RST | TCP_ACK, 0);
    } else {
      long serverIsn = rnd.nextInt() & 0xffffffffL;
      frames.tcp(
          tick(),
          c.vlan,
          server,
          port,
          c.address,
          clientPort,
          serverIsn,
          isn + 1,
          TCP_SYN | TCP_ACK | (ecn ? TCP_ECE : 0),
          0);
      frames.tcp(
          tick(), c.vlan, c.address, clientPort, server, port, isn + 1, serverIsn + 1, TCP_ACK, 0);
      connections.add(
          new Connection(c, clientPort, server, port, isn + 1, serverIsn + 1, exchangeCount()));
    }
  }

  /**
   * Request/response exchanges of one connection: mostly short-lived ones (a few requests), some
   * reused for a dozen, a few long sessions: 4 on average (0.8 * 2 + 0.17 * 8 + 0.03 * 35).
   */
  private int exchangeCount() {
    int r = rnd.nextInt(100);
    return r < 80 ? 1 + rnd.nextInt(3) : r < 97 ? 4 + rnd.nextInt(9) : 20 + rnd.nextInt(31);
  }

  /**
   * The payload of a request or a small answer, 1 to 200 bytes, most of them small: 50 % up to 20
   * bytes (status lines, keys, counters), 35 % 21 to 64, 12 % 65 to 140, 3 % 141 to 200; about 37
   * bytes on average.
   */
  private int smallPayload() {
    int r = rnd.nextInt(100);
    return r < 50
        ? 1 + rnd.nextInt(20)
        : r < 85 ? 21 + rnd.nextInt(44) : r < 97 ? 65 + rnd.nextInt(76) : 141 + rnd.nextInt(60);
  }

  private int pickPort(Service s) {
    int[] ports = s.ports();
    if (ports.length == 1 || rnd.nextInt(10) < 8) {
      return ports[0];
    }
    return ports[1 + rnd.nextInt(ports.length - 1)];
  }

  /**
   * The next packet of a random open connection: a request, the server's ACK of it, a segment of
   * the answer, a client ACK, or (when no exchange is left) the three packets of its close.
   */
  private void connectionSegment() throws IOException {
    int at = rnd.nextInt(connections.size());
    Connection st = connections.get(at);
    switch (st.phase) {
      case REQUEST -> {
        if (st.remainingExchanges == 0) {
          close(at, st);
          return;
        }
        int length = smallPayload();
        clientSends(st, TCP_PSH | TCP_ACK, length);
        st.clientSeq += length;
        boolean bulk = rnd.nextInt(1000) < BULK_ANSWERS_PER_MILLE;
        st.fullSegmentsLeft = bulk ? 1 + rnd.nextInt(MAX_BULK_FULL_SEGMENTS) : 0;
        st.lastSegmentLength = bulk ? 1 + rnd.nextInt(MSS) : smallPayload();
        st.phase = rnd.nextInt(100) < SERVER_ACK_PERCENT ? Phase.SERVER_ACK : Phase.RESPONSE;
      }
      case SERVER_ACK -> {
        serverSends(st, TCP_ACK, 0);
        st.phase = Phase.RESPONSE;
      }
      case RESPONSE -> {
        if (st.unacked >= 2) {
          clientSends(st, TCP_ACK, 0);
          st.unacked = 0;
        } else if (st.fullSegmentsLeft > 0) {
          serverSends(st, TCP_ACK, MSS);
          st.serverSeq += MSS;
          st.fullSegmentsLeft--;
          st.unacked++;
        } else {
          serverSends(st, TCP_PSH | TCP_ACK, st.lastSegmentLength);
          st.serverSeq += st.lastSegmentLength;
          st.unacked = 0;
          st.remainingExchanges--;
          st.phase = rnd.nextInt(100) < CLIENT_ACK_PERCENT ? Phase.CLIENT_ACK : Phase.REQUEST;
        }
      }
      case CLIENT_ACK -> {
        clientSends(st, TCP_ACK, 0);
        st.phase = Phase.REQUEST;
      }
      default -> throw new IllegalStateException("unknown phase " + st.phase);
    }
  }

  private void clientSends(Connection st, int flags, int length) throws IOException {
    Client c = st.client;
    frames.tcp(
        tick(),
        c.vlan,
        c.address,
        st.clientPort,
        st.server,
        st.serverPort,
        st.clientSeq,
        st.serverSeq,
        flags,
        length);
  }

  private void serverSends(Connection st, int flags, int length) throws IOException {
    Client c = st.client;
    frames.tcp(
        tick(),
        c.vlan,
        st.server,
        st.serverPort,
        c.address,
        st.clientPort,
        st.serverSeq,
        st.clientSeq,
        flags,
        length);
  }

  /** The client closes: FIN, the server's FIN, the last ACK; the connection is done. */
  private void close(int at, Connection st) throws IOException {
    clientSends(st, TCP_FIN | TCP_ACK, 0);
    st.clientSeq++;
    serverSends(st, TCP_FIN | TCP_ACK, 0);
    st.serverSeq++;
    clientSends(st, TCP_ACK, 0);
    Connection last = connections.remove(connections.size() - 1);
    if (at < connections.size()) {
      connections.set(at, last);
    }
  }

  // ---- DNS.

  /** Looks {@code s} up (A or SRV, plus AAAA for dual-stack clients), then connects. */
  private void lookup(Client c, Service s) throws IOException {
    int port = c.ephemeralPort();
    int id = rnd.nextInt(65536);
    int type = s.kind() == Kind.SRV ? DnsWire.TYPE_SRV : DnsWire.TYPE_A;
    long sent = sendQuery(c, port, id, s.wire(), type);
    if (c.dualStack && s.kind() != Kind.SRV) {
      aaaaLookup(c, s);
    }
    Action answer = () -> answer(c, s, port, id);
    if (rnd.nextInt(100) == 0) {
      // Lost: the stub repeats the identical query; the response answers the latest one.
      schedule(
          sent + DNS_RETRY_MICROS,
          () -> {
            long resent = sendQuery(c, port, id, s.wire(), type);
            schedule(resent + DNS_DELAY_MICROS, answer);
          });
    } else {
      schedule(sent + DNS_DELAY_MICROS, answer);
    }
  }

  private long sendQuery(Client c, int port, int id, byte[] name, int type) throws IOException {
    dns.query(id, name, type);
    long t = tick();
    frames.udp(t, c.vlan, c.address, port, c.resolver, DNS_PORT, dns.buffer(), dns.length());
    return t;
  }

  private long sendResponse(Client c, int port) throws IOException {
    long t = tick();
    frames.udp(t, c.vlan, c.resolver, DNS_PORT, c.address, port, dns.buffer(), dns.length());
    return t;
  }

  /** The resolver's answer to a lookup of {@code s}; the client caches it and connects. */
  private void answer(Client c, Service s, int port, int id) throws IOException {
    int[] order = answerOrder(s);
    long t;
    switch (s.kind()) {
      case MULTI_A -> {
        dns.response(id, s.wire(), DnsWire.TYPE_A, order.length, 0, 1);
        for (int k : order) {
          dns.a(DnsWire.QUESTION_NAME, s.addresses()[k]);
        }
        dns.opt();
        t = sendResponse(c, port);
        for (int k : order) {
          expected.listed(c.address, s.addresses()[k], s.name(), ExpectedTable.NO_SRV_PORT, t);
        }
      }
      case SRV -> {
        dns.response(id, s.wire(), DnsWire.TYPE_SRV, order.length, 1, order.length + 1);
        int[] targetOffsets = new int[order.length];
        for (int i = 0; i < order.length; i++) {
          SrvTarget target = s.targets().get(order[i]);
          targetOffsets[i] = dns.srv(target.port(), target.wire());
        }
        dns.ns(zoneWire[s.index()], nameServerWire[s.index()]);
        for (int i = 0; i < order.length; i++) {
          dns.a(targetOffsets[i], s.targets().get(order[i]).address());
        }
        dns.opt();
        t = sendResponse(c, port);
        for (int k : order) {
          SrvTarget target = s.targets().get(k);
          expected.listed(c.address, target.address(), s.name(), target.port(), t);
        }
      }
      case CNAME -> {
        dns.response(id, s.wire(), DnsWire.TYPE_A, 2, 0, 1);
        int canonical = dns.cname(s.canonical());
        dns.a(canonical, s.addresses()[0]);
        dns.opt();
        t = sendResponse(c, port);
      }
      case SINGLE_A -> {
        dns.response(id, s.wire(), DnsWire.TYPE_A, 1, 0, 1);
        dns.a(DnsWire.QUESTION_NAME, s.addresses()[0]);
        dns.opt();
        t = sendResponse(c, port);
      }
      default -> throw new IllegalStateException("unknown kind " + s.kind());
    }
    cacheAnswer(c, s, order, t + CACHE_TTL_MICROS);
    schedule(t + 20 + rnd.nextInt(300), () -> connect(c, s));
  }

  /**
   * Indices into the service's addresses that one response lists, in answer order: a window of the
   * pool that rotates with every response (round-robin DNS), or every SRV target, rotated.
   */
  private int[] answerOrder(Service s) {
    int n = s.addresses().length;
    int start = rotation[s.index()]++ % n;
    int[] order = new int[s.answerSize()];
    for (int i = 0; i < order.length; i++) {
      order[i] = (start + i) % n;
    }
    return order;
  }

  private void cacheAnswer(Client c, Service s, int[] order, long expiry) {
    int[] addresses = new int[order.length];
    int[] ports = new int[order.length];
    for (int i = 0; i < order.length; i++) {
      addresses[i] = s.addresses()[order[i]];
      ports[i] = s.kind() == Kind.SRV ? s.targets().get(order[i]).port() : 0;
    }
    c.cachedAddresses[s.index()] = addresses;
    c.cachedPorts[s.index()] = ports;
    c.cacheExpiry[s.index()] = expiry;
  }

  /**
   * An AAAA lookup of the same name: an answer of two AAAA records, whose addresses become backends
   * of the client (a multi-record answer), never connected to.
   */
  private void aaaaLookup(Client c, Service s) throws IOException {
    int port = c.ephemeralPort();
    int id = rnd.nextInt(65536);
    long sent = sendQuery(c, port, id, s.wire(), DnsWire.TYPE_AAAA);
    schedule(
        sent + DNS_DELAY_MICROS,
        () -> {
          dns.response(id, s.wire(), DnsWire.TYPE_AAAA, 2, 0, 1)
              .aaaa(s.index() * 16 + 1)
              .aaaa(s.index() * 16 + 2)
              .opt();
          long t = sendResponse(c, port);
          expected.listedV6(c.address, s.index() * 16 + 1, s.name(), t);
          expected.listedV6(c.address, s.index() * 16 + 2, s.name(), t);
        });
  }

  /** A lookup of a name that does not exist: a response without answers, not an event. */
  private void nxdomainLookup() throws IOException {
    Client c = clients.get(rnd.nextInt(clients.size()));
    int port = c.ephemeralPort();
    int id = rnd.nextInt(65536);
    long sent = sendQuery(c, port, id, nxdomainName, DnsWire.TYPE_A);
    schedule(
        sent + DNS_DELAY_MICROS,
        () -> {
          dns.nxdomain(id, nxdomainName, DnsWire.TYPE_A);
          sendResponse(c, port);
        });
  }

  // ---- Frames that are not IPv4.

  private void arpNoise() throws IOException {
    Client c = clients.get(rnd.nextInt(clients.size()));
    frames.arpRequest(tick(), c.vlan, c.address, GATEWAY);
  }

  /** A DNS query over IPv6 and its answer of one AAAA record: no backend. */
  private void ipv6Noise() throws IOException {
    Client c = clients.get(rnd.nextInt(clients.size()));
    Service s = services.get(c.services[0]);
    int port = c.ephemeralPort();
    int id = rnd.nextInt(65536);
    dns.query(id, s.wire(), DnsWire.TYPE_AAAA);
    long sent = tick();
    frames.ipv6Udp(
        sent, c.vlan, c.address, port, IPV6_RESOLVER_HOST, DNS_PORT, dns.buffer(), dns.length());
    schedule(
        sent + DNS_DELAY_MICROS,
        () -> {
          dns.response(id, s.wire(), DnsWire.TYPE_AAAA, 1, 0, 1).aaaa(s.index() * 16 + 1).opt();
          frames.ipv6Udp(
              tick(),
              c.vlan,
              IPV6_RESOLVER_HOST,
              DNS_PORT,
              c.address,
              port,
              dns.buffer(),
              dns.length());
        });
  }
}
