package dev.connbal.bench;

import static dev.connbal.bench.Scenario.ip;
import static dev.connbal.bench.Scenario.pool;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The fixed cast of the DNS-heavy profile (see {@link TrafficGenerator}): the names the resolvers
 * answer, the clients that look them up before every connection, the legacy clients that resolve an
 * SRV target by its plain name before any SRV answer named it, and the servers some connections
 * reach by a configured address.
 *
 * <p>Every address belongs to one name. SRV targets may also be looked up by plain A query; the one
 * target with two addresses ({@value #LEGACY_TARGET}) is looked up that way only by the legacy
 * clients before its SRV service is first looked up, and by the other clients only once an SRV
 * answer has named it, so no backend is ever both a plain and an SRV backend.
 */
final class DnsHeavyScenario {
  /** How a name is answered. */
  enum Kind {
    /** Several A records in the answer section: a window of the pool, rotated per response. */
    MULTI_A,
    /** SRV answers for every target, rotated, with the targets' A records as additionals. */
    SRV,
    /** A plain A lookup of an SRV target's name: its A record(s). */
    SRV_TARGET,
    /** The name is an alias: CNAME to a canonical name plus its one A record (ignored). */
    CNAME,
    /** One A record (not a multi-backend answer: ignored). */
    SINGLE_A
  }

  /** When the ordinary clients may look a name up. */
  enum Gate {
    /** From the capture's start. */
    OPEN,
    /** Once the legacy clients are done (the late SRV service). */
    AFTER_LEGACY,
    /** Once an SRV answer has named it (an SRV target with several addresses). */
    ONCE_KNOWN
  }

  /** One SRV target: its name, its addresses (one A record each) and its port. */
  // Generator data built once and read in hot loops: arrays on purpose, never compared.
  @SuppressWarnings("ArrayRecordComponent")
  record Target(String name, byte[] wire, int[] addresses, int port) {}

  /**
   * A name the resolvers answer.
   *
   * @param addresses the pool (MULTI_A), every target's addresses (SRV), the target's addresses
   *     (SRV_TARGET) or the one address (CNAME, SINGLE_A)
   * @param answerSize how many pool addresses one MULTI_A response lists
   * @param ports ports clients connect to, the first one most often (SRV: unused, the targets')
   * @param targets the SRV targets (SRV), or the one target looked up (SRV_TARGET)
   * @param srvService the index of the SRV service of the target (SRV_TARGET), else -1
   * @param canonical the CNAME target (CNAME only)
   */
  // Generator data built once and read in hot loops: arrays on purpose, never compared.
  @SuppressWarnings("ArrayRecordComponent")
  record Service(
      int index,
      Kind kind,
      Gate gate,
      String name,
      byte[] wire,
      int[] addresses,
      int answerSize,
      int[] ports,
      List<Target> targets,
      int srvService,
      byte[] canonical) {}

  /** A client host: it looks a name up before every connection. */
  static final class Client {
    final int address;
    final int resolver;

    /** Also sends an AAAA query with every A query of a MULTI_A, CNAME or SINGLE_A name. */
    final boolean dualStack;

    /** Connects to a random address of the answer instead of the first. */
    final boolean picksRandom;

    /** The names it uses; the first is a MULTI_A name, open from the start. */
    final int[] services;

    private final EphemeralPorts ports;

    Client(
        int address,
        int resolver,
        boolean dualStack,
        boolean picksRandom,
        int[] services,
        int portOffset) {
      this.address = address;
      this.resolver = resolver;
      this.dualStack = dualStack;
      this.picksRandom = picksRandom;
      this.services = services;
      this.ports = new EphemeralPorts(portOffset);
    }

    /** A legacy client: it only ever looks up {@value #LEGACY_TARGET}. */
    boolean isLegacy() {
      return services.length == 0;
    }

    /** The next source port from the Linux ephemeral range, cycling. */
    int ephemeralPort() {
      return ports.next();
    }
  }

  /** Ordinary clients: 10.1.0.0/16, 10.2.0.0/16, 10.3.0.0/16 and 192.168.50-57.0/24. */
  static final int CLIENTS = 4_800;

  static final int LEGACY_CLIENTS = 16;
  static final String LEGACY_TARGET = "imap2.mail.example.";

  /** Servers reached by configured address, never through DNS: 10.50.0.1 to 10.50.0.24. */
  static final int[] CONFIGURED_SERVERS = pool(10, 50, 0, 24);

  static final int[] CONFIGURED_PORTS = {22, 3306, 5666, 8080, 9100};

  private DnsHeavyScenario() {}

  /** The names, indexed by {@link Service#index()}. */
  static List<Service> services() {
    List<Service> s = new ArrayList<>();
    multiA(s, "api.shop.example.", pool(172, 16, 1, 6), 3, 443);
    multiA(s, "www.shop.example.", pool(172, 16, 2, 4), 4, 443, 80);
    multiA(s, "checkout.shop.svc.cluster.local.", pool(172, 16, 7, 6), 4, 8443);
    multiA(s, "orders-db.shop.svc.cluster.local.", pool(172, 16, 3, 3), 3, 5432);
    multiA(s, "redis-master.cache.svc.cluster.local.", pool(172, 16, 4, 8), 6, 6379);
    multiA(s, "kafka-brokers.streaming.svc.cluster.local.", pool(172, 16, 5, 10), 8, 9092);
    multiA(s, "elasticsearch.search.svc.cluster.local.", pool(172, 16, 8, 12), 6, 9200, 9300);
    multiA(s, "auth.corp.example.", pool(192, 168, 6, 2), 2, 8443, 443);
    int ldap =
        srv(
            s,
            Gate.OPEN,
            "_ldap._tcp.corp.example.",
            target("dc1.corp.example.", 389, ip(10, 20, 1, 1)),
            target("dc2.corp.example.", 389, ip(10, 20, 1, 2)),
            target("dc3.corp.example.", 389, ip(10, 20, 1, 3)));
    srv(
        s,
        Gate.OPEN,
        "_sip._tcp.voice.example.",
        target("sip-a.voice.example.", 5060, ip(10, 20, 2, 1)),
        target("sip-b.voice.example.", 5062, ip(10, 20, 2, 2)));
    int xmpp =
        srv(
            s,
            Gate.OPEN,
            "_xmpp-client._tcp.chat.example.",
            target("chat1.chat.example.", 5222, ip(10, 20, 3, 1)),
            target("chat2.chat.example.", 5222, ip(10, 20, 3, 2)),
            target("chat3.chat.example.", 5222, ip(10, 20, 3, 3)),
            target("chat4.chat.example.", 5222, ip(10, 20, 3, 4)));
    int etcd =
        srv(
            s,
            Gate.OPEN,
            "_etcd-server-ssl._tcp.etcd.kube-system.svc.cluster.local.",
            target("etcd-0.etcd.kube-system.svc.cluster.local.", 2380, ip(10, 20, 4, 1)),
            target("etcd-1.etcd.kube-system.svc.cluster.local.", 2380, ip(10, 20, 4, 2)),
            target("etcd-2.etcd.kube-system.svc.cluster.local.", 2380, ip(10, 20, 4, 3)));
    int grpc =
        srv(
            s,
            Gate.OPEN,
            "_grpc._tcp.orders.shop.svc.cluster.local.",
            target("orders-0.orders.shop.svc.cluster.local.", 50051, ip(10, 20, 6, 1)),
            target("orders-1.orders.shop.svc.cluster.local.", 50051, ip(10, 20, 6, 2)),
            target("orders-2.orders.shop.svc.cluster.local.", 50051, ip(10, 20, 6, 3)),
            target("orders-3.orders.shop.svc.cluster.local.", 50051, ip(10, 20, 6, 4)));
    int imaps =
        srv(
            s,
            Gate.AFTER_LEGACY,
            "_imaps._tcp.mail.example.",
            target("imap1.mail.example.", 993, ip(10, 20, 5, 1)),
            target(LEGACY_TARGET, 993, ip(10, 20, 5, 2), ip(10, 20, 5, 3)));
    targetLookup(s, Gate.OPEN, ldap, 0);
    targetLookup(s, Gate.OPEN, xmpp, 1);
    targetLookup(s, Gate.OPEN, etcd, 0);
    targetLookup(s, Gate.OPEN, grpc, 2);
    targetLookup(s, Gate.OPEN, imaps, 0);
    targetLookup(s, Gate.ONCE_KNOWN, imaps, 1);
    alias(s, "cdn.shop.example.", "shop.cdn-provider.example.", ip(203, 0, 113, 10), 443);
    alias(s, "static.shop.example.", "static.cdn-provider.example.", ip(203, 0, 113, 20), 443);
    single(s, "mail.corp.example.", ip(198, 51, 100, 25), 587, 25);
    single(s, "git.corp.example.", ip(198, 51, 100, 40), 22, 443);
    return List.copyOf(s);
  }

  /**
   * {@value #CLIENTS} clients in four networks, each using two to five names: a MULTI_A name, an
   * SRV name, then others of any kind. Four in ten are dual-stack, three in ten connect to a random
   * address (or target) of an answer instead of the first.
   */
  static List<Client> clients(SplittableRandom rnd, List<Service> services) {
    int[] multiA = indicesOf(services, Kind.MULTI_A);
    int[] srv = indicesOf(services, Kind.SRV);
    List<Client> clients = new ArrayList<>(CLIENTS);
    for (int i = 0; i < CLIENTS; i++) {
      int[] names = new int[2 + rnd.nextInt(4)];
      names[0] = multiA[rnd.nextInt(multiA.length)];
      names[1] = srv[rnd.nextInt(srv.length)];
      int[] others = distinctIndices(rnd, services.size(), names[0], names[1]);
      System.arraycopy(others, 0, names, 2, names.length - 2);
      int resolver = rnd.nextBoolean() ? Scenario.RESOLVER_1 : Scenario.RESOLVER_2;
      clients.add(
          new Client(
              clientAddress(i),
              resolver,
              rnd.nextInt(10) < 4,
              rnd.nextInt(10) < 3,
              names,
              rnd.nextInt(EphemeralPorts.COUNT)));
    }
    return List.copyOf(clients);
  }

  /** The legacy clients, 192.168.60.1 to .{@value #LEGACY_CLIENTS}: they use no list of names. */
  static List<Client> legacyClients(SplittableRandom rnd) {
    List<Client> clients = new ArrayList<>(LEGACY_CLIENTS);
    for (int i = 0; i < LEGACY_CLIENTS; i++) {
      clients.add(
          new Client(
              ip(192, 168, 60, i + 1),
              Scenario.RESOLVER_1,
              false,
              false,
              new int[0],
              rnd.nextInt(EphemeralPorts.COUNT)));
    }
    return List.copyOf(clients);
  }

  private static int clientAddress(int i) {
    if (i < 1_600) {
      return ip(10, 1, i / 200, i % 200 + 1);
    } else if (i < 3_200) {
      return ip(10, 2, (i - 1_600) / 200, (i - 1_600) % 200 + 1);
    } else if (i < 4_000) {
      return ip(10, 3, (i - 3_200) / 200, (i - 3_200) % 200 + 1);
    }
    return ip(192, 168, 50 + (i - 4_000) / 100, (i - 4_000) % 100 + 1);
  }

  private static int[] indicesOf(List<Service> services, Kind kind) {
    return services.stream().filter(s -> s.kind() == kind).mapToInt(Service::index).toArray();
  }

  /** The indices in [0, bound) other than {@code a} and {@code b}, in random order. */
  private static int[] distinctIndices(SplittableRandom rnd, int bound, int a, int b) {
    int[] all = new int[bound - 2];
    for (int i = 0, k = 0; i < bound; i++) {
      if (i != a && i != b) {
        all[k++] = i;
      }
    }
    for (int i = 0; i < all.length - 1; i++) {
      int j = i + rnd.nextInt(all.length - i);
      int t = all[i];
      all[i] = all[j];
      all[j] = t;
    }
    return all;
  }

  private static Target target(String name, int port, int... addresses) {
    return new Target(name, DnsWire.encodeName(name), addresses, port);
  }

  private static void add(
      List<Service> s,
      Kind kind,
      Gate gate,
      String name,
      int[] addresses,
      int answerSize,
      int[] ports,
      List<Target> targets,
      int srvService,
      String canonical) {
    s.add(
        new Service(
            s.size(),
            kind,
            gate,
            name,
            DnsWire.encodeName(name),
            addresses,
            answerSize,
            ports,
            targets,
            srvService,
            canonical == null ? null : DnsWire.encodeName(canonical)));
  }

  private static void multiA(List<Service> s, String name, int[] pool, int answer, int... ports) {
    add(s, Kind.MULTI_A, Gate.OPEN, name, pool, answer, ports, List.of(), -1, null);
  }

  private static int srv(List<Service> s, Gate gate, String name, Target... targets) {
    int[] addresses =
        Arrays.stream(targets).flatMapToInt(t -> Arrays.stream(t.addresses())).toArray();
    add(s, Kind.SRV, gate, name, addresses, targets.length, new int[0], List.of(targets), -1, null);
    return s.size() - 1;
  }

  private static void targetLookup(List<Service> s, Gate gate, int srvService, int target) {
    Target t = s.get(srvService).targets().get(target);
    add(
        s,
        Kind.SRV_TARGET,
        gate,
        t.name(),
        t.addresses(),
        t.addresses().length,
        new int[] {t.port()},
        List.of(t),
        srvService,
        null);
  }

  private static void alias(List<Service> s, String name, String canonical, int address, int port) {
    add(
        s,
        Kind.CNAME,
        Gate.OPEN,
        name,
        new int[] {address},
        1,
        new int[] {port},
        List.of(),
        -1,
        canonical);
  }

  private static void single(List<Service> s, String name, int address, int... ports) {
    add(s, Kind.SINGLE_A, Gate.OPEN, name, new int[] {address}, 1, ports, List.of(), -1, null);
  }
}
