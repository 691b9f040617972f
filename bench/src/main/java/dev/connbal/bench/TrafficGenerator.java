package dev.connbal.bench;

import dev.connbal.snoop.SnoopWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes a realistic snoop capture of a given size, deterministic for a seed, together with the
 * exact TSV that connbal must print for it (default mode, zero-padded IPv4).
 *
 * <pre>
 * TrafficGenerator --bytes N --out FILE --expected FILE.tsv [--seed S] [--profile full|dns-heavy]
 * </pre>
 *
 * Two profiles: {@code full} (the default), every packet of the traffic below, and {@code
 * dns-heavy}, what operators capture with the original tool's recommended filter (see "The
 * DNS-heavy profile").
 *
 * <h2>The traffic</h2>
 *
 * {@value Scenario#CLIENTS} clients (a fifth of them in 192.168.50.0/24, one in ten behind an
 * 802.1Q tag) use two to five of thirteen services through two resolvers:
 *
 * <ul>
 *   <li>six round-robin A services whose responses list a rotating window of two to five addresses
 *       of their pool (multi-record answers: backends), some used on two ports;
 *   <li>three SRV services whose responses list every target, rotated, with the targets' A records
 *       in the additional section (plus an NS authority record and EDNS OPT), targets on their own
 *       ports;
 *   <li>two CNAME services (alias + one A record: ignored by the rules) and two single-A services
 *       (one record: not a multi-backend answer).
 * </ul>
 *
 * Each client either resolves before every connection and takes the first address, or caches an
 * answer for 30 s and takes the first or a random cached address (the imbalance connbal exists to
 * show). Dual-stack clients also send AAAA queries (their answers of two AAAA records make two IPv6
 * backends that are never connected to). One query in a hundred is lost and repeated identically
 * after 1 s. Each connection is a SYN (three in ten with ECN bits), then: 2 % backend down (the
 * same SYN retransmitted after 1 s and 3 s), 2 % refused (RST), otherwise a handshake,
 * request/response exchanges (1 to 3 for four connections in five, 4 to 12 or 20 to 50 for the
 * rest: 4 on average), and a FIN exchange, interleaved with the other open connections. An exchange
 * is a small request, in three of ten a separate server ACK, the answer, and in seven of ten the
 * client's delayed ACK. Requests and answers carry 1 to 200 bytes, most of them small (half up to
 * 20 bytes, about 37 on average); two answers in a thousand are bulk transfers of 1 to 16 full
 * 1460-byte segments (the client ACKs every second one) and a partial last one. Streams already
 * open when the capture starts, caches filled before it (so a few connections go to an address
 * before any DNS answer in the capture names it), ARP requests, IPv6 DNS and NXDOMAIN lookups
 * complete the picture.
 *
 * <h2>Density</h2>
 *
 * Most records are small, as in real traffic: half are pure ACKs or FINs (84 bytes with the 24-byte
 * snoop header, the frame padded to the 60-byte Ethernet minimum), a tenth SYNs and SYN+ACKs (92
 * bytes), two fifths small data segments; full-size segments are about 0.35 % of the packets, DNS
 * about 6 %. The average record is about 108 bytes: 1 GiB holds about 9.9 M packets, a connection
 * about 18 (one packet in eighteen is a new SYN).
 *
 * <h2>The DNS-heavy profile</h2>
 *
 * Only what {@code (tcp and tcp[13] == 0x02) or (udp and port 53)} keeps: DNS over UDP and opening
 * SYNs with a flags byte of exactly 0x02 (no ECN SYNs, no SYN+ACKs, no data, no ACKs, no ARP, no
 * IPv6, no VLAN tags). {@value DnsHeavyScenario#CLIENTS} clients in 10.1.0.0/16, 10.2.0.0/16,
 * 10.3.0.0/16 and 192.168.50-57.0/24 look a name up before every connection (no caching) and
 * connect to the first address or target of the answer (three in ten: a random one), through two
 * resolvers. The names ({@link DnsHeavyScenario#services}):
 *
 * <ul>
 *   <li>eight round-robin A names, partly cluster-DNS names ({@code *.svc.cluster.local.}),
 *       answering a rotating window of two to eight addresses of their pool;
 *   <li>six SRV names with two to four targets each, rotated, the targets' A records in the
 *       additional section (an NS authority record outside cluster DNS); one target has two
 *       addresses;
 *   <li>five SRV target names that clients also resolve by plain A query, whether or not they ever
 *       looked the SRV name up: once any client's SRV answer has named the target, its addresses
 *       are backends of that SRV service for the client that resolved it; before, a one-address
 *       answer makes no backend. One SRV name ({@code _imaps._tcp.mail.example.}) is first looked
 *       up only after a quarter of the capture, so its targets are resolved by name before it for a
 *       long while: its one-address target by anyone, its two-address target only by {@value
 *       DnsHeavyScenario#LEGACY_CLIENTS} legacy clients (192.168.60.0/24), whose two-record answers
 *       are ordinary multi-record answers (backends named after the target), and who stop before
 *       the first SRV answer;
 *   <li>two CNAME names and two single-A names (no backends).
 * </ul>
 *
 * Four clients in ten also send an AAAA query with each A query of an address name (its answer, one
 * AAAA record, is never a backend); one query in a hundred is lost and repeated after 1 s; one step
 * in two hundred is an NXDOMAIN lookup. Besides the connections that follow a lookup, 58 % of the
 * steps are connections to a configured address, without DNS: two in three to servers in
 * 10.50.0.0/24, one in three to an address of the client's first A name's pool, which counts once
 * an answer has listed that address for the client. 2 % of all attempts go unanswered: the SYN is
 * retransmitted with the same ISN after 1 s and 3 s.
 *
 * <p>Density: with the 24-byte snoop header, a SYN takes 92 bytes, a query about 123 (SRV 130), an
 * A answer 181, an AAAA answer 151, an SRV answer 350. 1 GiB holds about 8.0 M packets, half of
 * them DNS (of those, a third SRV and a sixth AAAA); 200 MiB make about 74,000 rows.
 *
 * <h2>Why the expected TSV is exact</h2>
 *
 * The generator does not decode what it wrote: {@link TrafficSimulation} (or {@link
 * DnsHeavySimulation}) reports every decision to {@link ExpectedTable} with the timestamp of the
 * packet that carries it. The scenario stays inside a subset of SEMANTICS.md where the rules reduce
 * to simple bookkeeping:
 *
 * <ul>
 *   <li>Timestamps strictly increase in file order (the clock advances 1 to 40 µs per packet), so
 *       timeline order is file order and no two events tie.
 *   <li>A response goes out 1 ms after its query (never near the 10 s window), with the query's
 *       port and id; a client's ports cycle through 28232 values, so identical queries are only
 *       ever the deliberate repeats of a lost one, and each query gets exactly one response.
 *   <li>Every address belongs to one service; multi-A responses always hold at least two A records
 *       and single-A responses one; no service name is an SRV target, and (in the full profile) SRV
 *       targets are only ever looked up through their SRV service. So a backend's name is its
 *       service's name, an A response lists each of its addresses once (#dns + 1 each), and an SRV
 *       response lists each target once for its one port (#dns of that port + 1).
 *   <li>DNS-heavy: every SRV target has one port. The simulation keeps the SRV knowledge as its
 *       responses go out (the targets named by an SRV answer written so far), and a plain A answer
 *       for a target lists its addresses for the SRV service on that port when the target is known,
 *       as an ordinary answer otherwise. The two-address target is resolved by plain A query only
 *       by the legacy clients, whose queries are never lost and whose answers all go out before its
 *       SRV name is first looked up, and by the other clients only once it is known; so no backend
 *       is both an ordinary and an SRV backend.
 *   <li>A connection attempt is its first SYN (retransmissions reuse the attempt's 4-tuple and ISN;
 *       ISNs are unique per attempt); it counts on its port if the client's backend existed when
 *       that SYN was sent. Connections that follow a lookup start after its response; those from a
 *       cache filled before the capture may precede any answer, and do not count.
 *   <li>Rows: SRV backends print each SRV port (also with 0 connections); other backends print each
 *       port with counted attempts, or {@code ip:?} with 0 when there is none.
 * </ul>
 */
public final class TrafficGenerator {
  /**
   * What a generation wrote: sizes, the expected TSV, and the run report figures connbal must print
   * for it besides (packets, frames skipped as not IP (ARP), DNS responses without a matching
   * query; nothing in the capture is corrupt or malformed). {@code ipv6Frames} are the IPv6 frames
   * written, which connbal decodes.
   */
  public record Result(
      long bytes,
      long packets,
      long dnsPackets,
      long notIpFrames,
      long ipv6Frames,
      long unmatchedResponses,
      long countedAttempts,
      long uncountedAttempts,
      int backends,
      String expectedTsv) {}

  /** The kinds of traffic the generator writes. */
  public enum Profile {
    /** Every packet of the traffic, DNS a few percent: the default. */
    FULL("full"),
    /** What the filter {@code (tcp and tcp[13] == 0x02) or (udp and port 53)} keeps. */
    DNS_HEAVY("dns-heavy");

    private final String flag;

    Profile(String flag) {
      this.flag = flag;
    }

    /** The name {@code --profile} takes, and that bench/run puts into file names. */
    public String flag() {
      return flag;
    }

    static Profile ofFlag(String flag) {
      for (Profile p : values()) {
        if (p.flag.equals(flag)) {
          return p;
        }
      }
      throw new IllegalArgumentException("--profile must be full or dns-heavy, got " + flag);
    }
  }

  private static final int FILL_LENGTH = 2048;

  private TrafficGenerator() {}

  /** {@link #generate(OutputStream, long, long, Profile)} of the full-traffic profile. */
  public static Result generate(OutputStream out, long targetBytes, long seed) throws IOException {
    return generate(out, targetBytes, seed, Profile.FULL);
  }

  /**
   * Writes a snoop capture of the profile's traffic of at least {@code targetBytes} bytes (a few
   * packets more) to {@code out}, closing it, and returns the TSV connbal must print for it.
   */
  public static Result generate(OutputStream out, long targetBytes, long seed, Profile profile)
      throws IOException {
    SplittableRandom rnd = new SplittableRandom(seed);
    byte[] fill = new byte[FILL_LENGTH];
    for (int i = 0; i < fill.length; i++) {
      fill[i] = (byte) rnd.nextInt(256);
    }
    ExpectedTable expected = new ExpectedTable();
    try (FrameWriter frames = new FrameWriter(SnoopWriter.ethernet(out), fill)) {
      if (profile == Profile.DNS_HEAVY) {
        new DnsHeavySimulation(rnd, frames, expected).run(targetBytes);
      } else {
        new TrafficSimulation(rnd, frames, expected).run(targetBytes);
      }
      // Every response answers a query connbal tracks (A, AAAA or SRV), sent just before it.
      long unmatchedResponses = 0;
      return new Result(
          frames.bytesWritten(),
          frames.packets(),
          frames.udpDatagrams(),
          frames.notIpFrames(),
          frames.ipv6Frames(),
          unmatchedResponses,
          expected.countedAttempts(),
          expected.uncountedAttempts(),
          expected.backends(),
          expected.tsv());
    }
  }

  public static void main(String[] args) throws IOException {
    System.exit(run(args, System.out, System.err));
  }

  /** The command line; returns the exit code (0 ok, 1 usage). */
  static int run(String[] args, PrintStream out, PrintStream err) throws IOException {
    Long bytes = null;
    Path file = null;
    Path expectedFile = null;
    long seed = 1;
    Profile profile = Profile.FULL;
    try {
      for (int i = 0; i < args.length; i += 2) { // every flag takes the next word as its value
        String value = i + 1 < args.length ? args[i + 1] : null;
        switch (args[i]) {
          case "--bytes" -> bytes = parseSize(value);
          case "--out" -> file = Path.of(required(value, "--out"));
          case "--expected" -> expectedFile = Path.of(required(value, "--expected"));
          case "--seed" -> seed = Long.parseLong(required(value, "--seed"));
          case "--profile" -> profile = Profile.ofFlag(required(value, "--profile"));
          default -> throw new IllegalArgumentException("unknown argument " + args[i]);
        }
      }
      if (bytes == null || file == null || expectedFile == null) {
        throw new IllegalArgumentException("--bytes, --out and --expected are required");
      }
    } catch (IllegalArgumentException e) {
      err.println("TrafficGenerator: " + e.getMessage());
      err.println(
          "usage: TrafficGenerator --bytes N[K|M|G] --out FILE --expected FILE.tsv"
              + " [--seed S] [--profile full|dns-heavy]");
      return 1;
    }
    long started = System.nanoTime();
    Result result;
    try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
      result = generate(os, bytes, seed, profile);
    }
    Files.writeString(expectedFile, result.expectedTsv(), StandardCharsets.UTF_8);
    double seconds = (System.nanoTime() - started) / 1e9;
    out.printf(
        "generated %s (%s): %d bytes, %d packets (%.0f per GiB, %.1f %% DNS, %d not IPv4),"
            + " %d DNS responses without a query, %d backends, %d TSV lines, %d counted and %d"
            + " uncounted connection attempts, in %.1f s (%.0f MB/s)%n",
        file,
        profile.flag(),
        result.bytes(),
        result.packets(),
        result.packets() * (double) (1L << 30) / result.bytes(),
        100.0 * result.dnsPackets() / result.packets(),
        result.notIpFrames() + result.ipv6Frames(),
        result.unmatchedResponses(),
        result.backends(),
        result.expectedTsv().lines().count(),
        result.countedAttempts(),
        result.uncountedAttempts(),
        seconds,
        result.bytes() / seconds / 1e6);
    return 0;
  }

  private static String required(String value, String flag) {
    if (value == null) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return value;
  }

  /** A byte count with an optional binary suffix K, M or G. */
  static long parseSize(String value) {
    String v = required(value, "--bytes").trim().toUpperCase(java.util.Locale.ROOT);
    long unit = 1;
    if (v.endsWith("K") || v.endsWith("M") || v.endsWith("G")) {
      unit =
          switch (v.charAt(v.length() - 1)) {
            case 'K' -> 1L << 10;
            case 'M' -> 1L << 20;
            default -> 1L << 30;
          };
      v = v.substring(0, v.length() - 1);
    }
    long n = Long.parseLong(v);
    if (n <= 0) {
      throw new IllegalArgumentException("--bytes must be positive");
    }
    return n * unit;
  }
}
