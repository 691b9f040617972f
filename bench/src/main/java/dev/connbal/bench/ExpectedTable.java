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
   * A (client, backend) pair; {@code v6} for a backend of an AAAA record, whose address is {@link
   * DnsWire#aaaa}'s {@code fd00::backend}. Ordered as connbal prints: by client, then IPv4 before
   * IPv6, then address.
   */
  private record Pair(int client, boolean v6, int backend) implements Comparable<Pair> {
    @Override
    public int compareTo(Pair o) {
      int byClient = Integer.compareUnsigned(client, o.client);
      if (byClient != 0) {
        return byClient;
      }
      return v6 != o.v6 ? (v6 ? 1 : -1) : Integer.compareUnsigned(backend, o.backend);
    }
  }

  /**
   * By (client, backend) pair, in output order. Not a HashMap: a pair's hash would be client XOR
   * backend, which collides for thousands of clients in a few networks.
   */
  private final TreeMap<Pair, Backend> backends = new TreeMap<>();

  private long countedAttempts;
  private long uncountedAttempts;

  /**
   * A matched response at {@code micros} listed {@code backend} for {@code client}, as a backend
   * named {@code name}; {@code srvPort} is the SRV port it was listed for, or {@link #NO_SRV_PORT}.
   * Called at most once per response and backend.
   */
  void listed(int client, int backend, String name, int srvPort, long micros) {
    Backend b =
        backends.computeIfAbsent(new Pair(client, false, backend), p -> new Backend(micros, name));
    b.dnsCount++;
    if (srvPort != NO_SRV_PORT) {
      b.srvPortDns.merge(srvPort, 1L, Long::sum);
    }
  }

  /**
   * A matched response at {@code micros} listed the IPv6 backend {@code fd00::host} ({@link
   * DnsWire#aaaa}) for {@code client}, as a backend named {@code name} (an AAAA record of a
   * multi-record answer). Called at most once per response and backend.
   */
  void listedV6(int client, int host, String name, long micros) {
    backends.computeIfAbsent(new Pair(client, true, host), p -> new Backend(micros, name))
        .dnsCount++;
  }

  /** A connection attempt (its first SYN) from {@code client} to {@code backend:port}. */
  void attempt(int client, int backend, int port, long micros) {
    Backend b = backends.get(new Pair(client, false, backend));
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
    for (Map.Entry<Pair, Backend> e : backends.entrySet()) {
      Pair pair = e.getKey();
      Backend b = e.getValue();
      String client = padded(pair.client());
      String backend = pair.v6() ? "[" + paddedV6(pair.backend()) + "]" : padded(pair.backend());
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

  /** {@code fd00::host} as eight groups of four hex digits, as connbal prints by default. */
  static String paddedV6(int host) {
    return String.format("fd00:0000:0000:0000:0000:0000:%04x:%04x", host >>> 16, host & 0xffff);
  }

  /** Four zero-padded 3-digit octets, as connbal prints by default. */
  static String padded(int ip) {
    return String.format(
        "%03d.%03d.%03d.%03d", ip >>> 24, (ip >>> 16) & 0xff, (ip >>> 8) & 0xff, ip & 0xff);
  }
}
