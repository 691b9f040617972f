package dev.connbal.transforms.output;

/** How IPv4 addresses print in the TSV. */
public enum IpFormat {
  /**
   * Four zero-padded 3-digit octets ({@code 010.000.001.002}), so that {@code sort -n} orders them.
   */
  PADDED {
    @Override
    public String format(int ip) {
      return String.format(
          "%03d.%03d.%03d.%03d", ip >>> 24, (ip >>> 16) & 0xFF, (ip >>> 8) & 0xFF, ip & 0xFF);
    }
  },
  /** Dotted decimal without padding ({@code 10.0.1.2}). */
  PLAIN {
    @Override
    public String format(int ip) {
      return (ip >>> 24)
          + "."
          + ((ip >>> 16) & 0xFF)
          + "."
          + ((ip >>> 8) & 0xFF)
          + "."
          + (ip & 0xFF);
    }
  };

  /** Formats an IPv4 address given as an int with the first octet in the high byte. */
  public abstract String format(int ip);
}
