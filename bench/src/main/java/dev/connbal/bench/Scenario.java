package dev.connbal.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The fixed cast of the generated traffic: the DNS services (what the resolvers answer) and the
 * clients (who looks what up, and how they pick an address).
 *
 * <p>Every address belongs to exactly one service, SRV target names are never looked up with a
 * plain A query, and no service name is an SRV target, so each backend has one name and one kind;
 * see {@link TrafficGenerator} for why the scenario keeps to that.
 */
final class Scenario {
  /** How a service answers. */
  enum Kind {
    /** Several A records in the answer section: a window of the pool, rotated per response. */
    MULTI_A,
    /** SRV answers for every target, rotated, with the targets' A records as additionals. */
    SRV,
    /** The name is an alias: CNAME to a canonical name plus its one A record (ignored). */
    CNAME,
    /** One A record (not a multi-backend answer: ignored). */
    SINGLE_A
  }

  /** One SRV target: its name, address and port. */
  // Generator data built once and read in hot loops: arrays on purpose, never compared.
  @SuppressWarnings("ArrayRecordComponent")
  record SrvTarget(String name, byte[] wire, int address, int port) {}

  /**
   * A name the resolvers answer.
   *
   * @param addresses the pool of A addresses (MULTI_A), the targets' addresses (SRV) or the one
   *     address (CNAME, SINGLE_A)
   * @param answerSize how many pool addresses one MULTI_A response lists
   * @param ports ports clients connect to, the first one most often (SRV: unused, the target's)
   * @param canonical the CNAME target (CNAME only)
   */
  // Generator data built once and read in hot loops: arrays on purpose, never compared.
  @SuppressWarnings("ArrayRecordComponent")
  record Service(
      int index,
      Kind kind,
      String name,
      byte[] wire,
      int[] addresses,
      int answerSize,
      int[] ports,
      List<SrvTarget> targets,
      byte[] canonical) {}

  /** How a client chooses the address of its next connection. */
  enum Behaviour {
    /** Looks the name up before every connection and takes the first address. */
    RESOLVE_EACH,
    /** Resolves when its cache expired and always takes the cached first address. */
    CACHE_FIRST,
    /** Resolves when its cache expired and takes a random cached address. */
    CACHE_RANDOM
  }

  /** A client host with its habits and its resolver cache. */
  static final class Client {
    final int address;
    final int vlan;
    final int resolver;
    final Behaviour behaviour;
    final boolean dualStack;
    final int[] services;

    /** Per service index: the cached answer's addresses (and SRV ports), or null. */
    final int[][] cachedAddresses;

    final int[][] cachedPorts;
    final long[] cacheExpiry;
    private final EphemeralPorts ports;

    Client(
        int address,
        int vlan,
        int resolver,
        Behaviour behaviour,
        boolean dualStack,
        int[] services,
        int serviceCount,
        int portOffset) {
      this.address = address;
      this.vlan = vlan;
      this.resolver = resolver;
      this.behaviour = behaviour;
      this.dualStack = dualStack;
      this.services = services;
      this.cachedAddresses = new int[serviceCount][];
      this.cachedPorts = new int[serviceCount][];
      this.cacheExpiry = new long[serviceCount];
      this.ports = new EphemeralPorts(portOffset);
    }

    /** The next source port from the Linux ephemeral range, cycling. */
    int ephemeralPort() {
      return ports.next();
    }
  }

  static final int RESOLVER_1 = ip(10, 0, 0, 53);
  static final int RESOLVER_2 = ip(10, 0, 0, 54);
  static final int CLIENTS = 400;

  private Scenario() {}

  /** The services, indexed by {@link Service#index()}. */
  static List<Service> services() {
    List<Service> s = new ArrayList<>();
    multiA(s, "api.shop.example.", pool(172, 16, 1, 6), 3, 443);
    multiA(s, "www.shop.example.", pool(172, 16, 2, 4), 4, 443, 80);
    multiA(s, "db.internal.example.", pool(172, 16, 3, 3), 3, 5432);
    multiA(s, "cache.internal.example.", pool(172, 16, 4, 8), 2, 6379);
    multiA(s, "kafka.internal.example.", pool(172, 16, 5, 5), 5, 9092);
    multiA(s, "auth.corp.example.", pool(192, 168, 6, 2), 2, 8443, 443);
    srv(
        s,
        "_ldap._tcp.corp.example.",
        target("dc1.corp.example.", ip(10, 20, 1, 1), 389),
        target("dc2.corp.example.", ip(10, 20, 1, 2), 389),
        target("dc3.corp.example.", ip(10, 20, 1, 3), 389));
    srv(
        s,
        "_sip._tcp.voice.example.",
        target("sip-a.voice.example.", ip(10, 20, 2, 1), 5060),
        target("sip-b.voice.example.", ip(10, 20, 2, 2), 5062));
    srv(
        s,
        "_xmpp-client._tcp.chat.example.",
        target("chat1.chat.example.", ip(10, 20, 3, 1), 5222),
        target("chat2.chat.example.", ip(10, 20, 3, 2), 5222),
        target("chat3.chat.example.", ip(10, 20, 3, 3), 5222),
        target("chat4.chat.example.", ip(10, 20, 3, 4), 5222));
    alias(s, "cdn.shop.example.", "shop.cdn-provider.example.", ip(203, 0, 113, 10), 443);
    alias(s, "static.shop.example.", "static.cdn-provider.example.", ip(203, 0, 113, 20), 443);
    single(s, "mail.corp.example.", ip(198, 51, 100, 25), 587, 25);
    single(s, "git.corp.example.", ip(198, 51, 100, 40), 22, 443);
    return List.copyOf(s);
  }

  /**
   * {@value #CLIENTS} clients: most in 10.1.0.0/16, a fifth in 192.168.50.0/24 (above 127.x, so the
   * unsigned sort order matters), one in ten behind an 802.1Q tag, each using two to five services.
   */
  static List<Client> clients(SplittableRandom rnd, int serviceCount) {
    List<Client> clients = new ArrayList<>(CLIENTS);
    for (int i = 0; i < CLIENTS; i++) {
      int address = i < CLIENTS / 5 ? ip(192, 168, 50, i + 1) : ip(10, 1, i / 200, i % 200 + 1);
      int vlan = i % 10 == 3 ? 100 + i % 4 : FrameWriter.NO_VLAN;
      int resolver = rnd.nextBoolean() ? RESOLVER_1 : RESOLVER_2;
      int pick = rnd.nextInt(10);
      Behaviour behaviour =
          pick < 4
              ? Behaviour.RESOLVE_EACH
              : pick < 7 ? Behaviour.CACHE_FIRST : Behaviour.CACHE_RANDOM;
      boolean dualStack = rnd.nextInt(10) < 4;
      int[] services = distinctIndices(rnd, serviceCount, 2 + rnd.nextInt(4));
      clients.add(
          new Client(
              address,
              vlan,
              resolver,
              behaviour,
              dualStack,
              services,
              serviceCount,
              rnd.nextInt(EphemeralPorts.COUNT)));
    }
    return List.copyOf(clients);
  }

  /** {@code count} distinct indices in [0, bound), in random order (a partial shuffle). */
  private static int[] distinctIndices(SplittableRandom rnd, int bound, int count) {
    int[] all = new int[bound];
    for (int i = 0; i < bound; i++) {
      all[i] = i;
    }
    for (int i = 0; i < count; i++) {
      int j = i + rnd.nextInt(bound - i);
      int t = all[i];
      all[i] = all[j];
      all[j] = t;
    }
    return java.util.Arrays.copyOf(all, count);
  }

  static int ip(int a, int b, int c, int d) {
    return (a << 24) | (b << 16) | (c << 8) | d;
  }

  /** a.b.c.1 to a.b.c.{@code size}. */
  static int[] pool(int a, int b, int c, int size) {
    int[] pool = new int[size];
    for (int i = 0; i < size; i++) {
      pool[i] = ip(a, b, c, i + 1);
    }
    return pool;
  }

  private static SrvTarget target(String name, int address, int port) {
    return new SrvTarget(name, DnsWire.encodeName(name), address, port);
  }

  private static void multiA(List<Service> s, String name, int[] pool, int answer, int... ports) {
    s.add(
        new Service(
            s.size(),
            Kind.MULTI_A,
            name,
            DnsWire.encodeName(name),
            pool,
            answer,
            ports,
            List.of(),
            null));
  }

  private static void srv(List<Service> s, String name, SrvTarget... targets) {
    int[] addresses = new int[targets.length];
    for (int i = 0; i < targets.length; i++) {
      addresses[i] = targets[i].address();
    }
    s.add(
        new Service(
            s.size(),
            Kind.SRV,
            name,
            DnsWire.encodeName(name),
            addresses,
            targets.length,
            new int[0],
            List.of(targets),
            null));
  }

  private static void alias(List<Service> s, String name, String canonical, int address, int port) {
    s.add(
        new Service(
            s.size(),
            Kind.CNAME,
            name,
            DnsWire.encodeName(name),
            new int[] {address},
            1,
            new int[] {port},
            List.of(),
            DnsWire.encodeName(canonical)));
  }

  private static void single(List<Service> s, String name, int address, int... ports) {
    s.add(
        new Service(
            s.size(),
            Kind.SINGLE_A,
            name,
            DnsWire.encodeName(name),
            new int[] {address},
            1,
            ports,
            List.of(),
            null));
  }
}
