package dev.connbal.transforms.output;

import java.util.Comparator;

/**
 * One output line: a (client, backend, port) with its counts and name.
 *
 * @param port the backend port, or {@link #UNKNOWN_PORT} for a backend with no known port
 * @param name the backend's name in DNS presentation form (escaped, so it holds no TAB or newline)
 */
public record TsvRow(int client, int backend, int port, long conns, long dns, String name) {
  public static final int UNKNOWN_PORT = -1;

  /** Client IP, backend IP (both unsigned), then port: the documented line order. */
  static final Comparator<TsvRow> ORDER =
      Comparator.comparing(TsvRow::client, Integer::compareUnsigned)
          .thenComparing(TsvRow::backend, Integer::compareUnsigned)
          .thenComparingInt(TsvRow::port);

  public TsvRow {
    if (name == null) {
      throw new NullPointerException("name");
    }
  }

  /** The line, ending in \n: {@code client backend:port #conns #dns name}, tab-separated. */
  String format(IpFormat ips) {
    return ips.format(client)
        + '\t'
        + ips.format(backend)
        + ':'
        + (port == UNKNOWN_PORT ? "?" : Integer.toString(port))
        + '\t'
        + conns
        + '\t'
        + dns
        + '\t'
        + name
        + '\n';
  }
}
