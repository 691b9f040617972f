package dev.connbal.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What connbal must print (default mode, padded IPv4) for the traffic {@link TrafficSimulation} or
 * {@link DnsHeavySimulation} wrote, kept as the simulation writes it: the simulation tells it which
 * backends each matched DNS response listed for a client and every connection attempt it started,
 * each with the timestamp of the packet that carries it.
 *
 * <p>The rules are SEMANTICS.md's, reduced to the cases the scenario produces (see {@link
 * TrafficGenerator}): a backend is created by the first response that lists it for the client and
 * named by it; #dns counts responses (per SRV port for SRV backends); an attempt counts on its port
 * when the backend existed at the time of its first SYN; a backend without counted attempts and
 * without SRV ports prints one {@code ip:?} row.
 */
final class ExpectedTable {
  /** Port value of a plain (non-SRV) listing. */
  static final int NO_SRV_PORT = -1;

  private static final class Backend {
    final long firstSeenMicros;
    final String name;
    long dnsCount;
    final TreeMap<Integer, Long> srvPortDns = new TreeMap<>();
    final TreeMap<Integer, Long> conns = new TreeMap<>();

    Backend(long firstSeenMicros, String name) {
      this.firstSeenMicros = firstSeenMicros;
      this.name = name;
    }
  }

  /**
   * By (client, backend) pair, in output order. Not a HashMap: {@code Long.hashCode} of a pair is
   * client XOR backend, which collides for thousands of clients in a few networks.
   */
  private final TreeMap<Long, Backend> backends = new TreeMap<>(Long::compareUnsigned);

  private long countedAttempts;
  private long uncountedAttempts;

  /**
   * A matched response at {@code micros} listed {@code backend} for {@code client}, as a backend
   * named {@code name}; {@code srvPort} is the SRV port it was listed for, or {@link #NO_SRV_PORT}.
   * Called at most once per response and backend.
   */
  void listed(int client, int backend, String name, int srvPort, long micros) {
    Backend b = backends.computeIfAbsent(pair(client, backend), p -> new Backend(micros, name));
    b.dnsCount++;
    if (srvPort != NO_SRV_PORT) {
      b.srvPortDns.merge(srvPort, 1L, Long::sum);
    }
  }

  /** A connection attempt (its first SYN) from {@code client} to {@code backend:port}. */
  void attempt(int client, int backend, int port, long micros) {
    Backend b = backends.get(pair(client, backend));
    if (b != null && micros >= b.firstSeenMicros) {
      b.conns.merge(port, 1L, Long::sum);
      countedAttempts++;
    } else {
      uncountedAttempts++;
    }
  }

  /** Attempts that count towards some row. */
  long countedAttempts() {
    return countedAttempts;
  }

  /** Attempts to an address that was not (yet) a DNS backend of the client. */
  long uncountedAttempts() {
    return uncountedAttempts;
  }

  /** Number of (client, backend) pairs DNS made. */
  int backends() {
    return backends.size();
  }

  /** The TSV document: one line per (client, backend, port), sorted, each ending in \n. */
  String tsv() {
    StringBuilder out = new StringBuilder();
    for (Map.Entry<Long, Backend> e : backends.entrySet()) {
      long pair = e.getKey();
      Backend b = e.getValue();
      String client = padded((int) (pair >>> 32));
      String backend = padded((int) pair);
      TreeSet<Integer> ports = new TreeSet<>(b.srvPortDns.keySet());
      ports.addAll(b.conns.keySet());
      if (ports.isEmpty()) {
        line(out, client, backend + ":?", 0, b.dnsCount, b.name);
      }
      for (int port : ports) {
        line(
            out,
            client,
            backend + ":" + port,
            b.conns.getOrDefault(port, 0L),
            b.srvPortDns.getOrDefault(port, b.dnsCount),
            b.name);
      }
    }
    return out.toString();
  }

  private static void line(
      StringBuilder out, String client, String backendPort, long conns, long dns, String name) {
    out.append(client)
        .append('\t')
        .append(backendPort)
        .append('\t')
        .append(conns)
        .append('\t')
        .append(dns)
        .append('\t')
        .append(name)
        .append('\n');
  }

  /** Client in the high 32 bits: unsigned order of pairs is client order, then backend order. */
  private static long pair(int client, int backend) {
    return ((long) client << 32) | (backend & 0xffffffffL);
  }

  /** Four zero-padded 3-digit octets, as connbal prints by default. */
  static String padded(int ip) {
    return String.format(
        "%03d.%03d.%03d.%03d", ip >>> 24, (ip >>> 16) & 0xff, (ip >>> 8) & 0xff, ip & 0xff);
  }
}
