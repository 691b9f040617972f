package dev.connbal.transforms.window;

import dev.connbal.transforms.events.DnsEvent;
import dev.connbal.transforms.keys.IpAddress;
import java.io.Serializable;
import java.util.Comparator;
import java.util.Objects;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One event of a client shard's timeline in a windowed run: a DNS query or response of one of the
 * shard's clients, a DNS event of another shard's client that the shard needs for the SRV knowledge
 * only ({@link Kind#SRV_LEARNING}), or an opening SYN from one of its clients.
 *
 * <p>Events run in {@link #ORDER}: by time, at equal times DNS before SYN (an attempt at the very
 * time of the response that names its backend counts, as in a run without windows), then DNS events
 * in file order.
 */
public final class TimedEvent implements Serializable {
  private static final long serialVersionUID = 1L;

  /** What the event is. */
  public enum Kind {
    DNS(0),
    SRV_LEARNING(1),
    SYN(2);

    final int code;

    Kind(int code) {
      this.code = code;
    }

    static Kind ofCode(int code) {
      for (Kind k : values()) {
        if (k.code == code) {
          return k;
        }
      }
      throw new IllegalArgumentException("no event kind " + code);
    }
  }

  public static final Comparator<TimedEvent> ORDER =
      Comparator.comparingLong(TimedEvent::timeMicros)
          .thenComparing(e -> e.kind == Kind.SYN)
          .thenComparing(
              (a, b) ->
                  a.dns == null || b.dns == null ? 0 : a.dns.order().compareTo(b.dns.order()));

  private final Kind kind;
  private final @Nullable DnsEvent dns;
  private final long timeMicros;
  private final IpAddress client;
  private final IpAddress server;
  private final int port;
  private final long attempt;

  private TimedEvent(
      Kind kind,
      @Nullable DnsEvent dns,
      long timeMicros,
      IpAddress client,
      IpAddress server,
      int port,
      long attempt) {
    this.kind = kind;
    this.dns = dns;
    this.timeMicros = timeMicros;
    this.client = client;
    this.server = server;
    this.port = port;
    this.attempt = attempt;
  }

  /** A DNS event of the shard's own client, or only for its SRV answers ({@code learnOnly}). */
  public static TimedEvent dns(DnsEvent event, boolean learnOnly) {
    return new TimedEvent(
        learnOnly ? Kind.SRV_LEARNING : Kind.DNS,
        event,
        event.order().timestampMicros(),
        event.query().clientIp(),
        event.query().serverIp(),
        0,
        0);
  }

  /**
   * An opening SYN from {@code client} to {@code server}:{@code port}, of the connection attempt
   * {@code attempt} ({@link dev.connbal.transforms.events.SynBatch#attempt}).
   */
  public static TimedEvent syn(
      long timeMicros, IpAddress client, IpAddress server, int port, long attempt) {
    return new TimedEvent(Kind.SYN, null, timeMicros, client, server, port, attempt);
  }

  public Kind kind() {
    return kind;
  }

  /** The DNS event; null for a SYN. */
  public @Nullable DnsEvent dns() {
    return dns;
  }

  public long timeMicros() {
    return timeMicros;
  }

  /** The client: the querying host, or the SYN's sender. */
  public IpAddress client() {
    return client;
  }

  /** The DNS server, or the SYN's destination. */
  public IpAddress server() {
    return server;
  }

  /** The SYN's destination port; 0 for DNS. */
  public int port() {
    return port;
  }

  /** The SYN's attempt id; 0 for DNS. */
  public long attempt() {
    return attempt;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TimedEvent e
        && kind == e.kind
        && Objects.equals(dns, e.dns)
        && timeMicros == e.timeMicros
        && client.equals(e.client)
        && server.equals(e.server)
        && port == e.port
        && attempt == e.attempt;
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, dns, timeMicros, client, server, port, attempt);
  }

  @Override
  public String toString() {
    return kind == Kind.SYN
        ? "SYN at " + timeMicros + " " + client + " -> " + server + ":" + port + " #" + attempt
        : kind + " " + dns;
  }
}
