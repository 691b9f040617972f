package dev.connbal.transforms.output;

import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.net.InetAddresses;

/** How IPv4 addresses print in the TSV (and in the summary and report made from the rows). */
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

  /** Formats an IPv4 address given in its plain text form, as the rows hold it. */
  public String format(String address) {
    return format(ipv4(address));
  }

  /** An IPv4 address' int form, the first octet in the high byte. */
  static int ipv4(String address) {
    byte[] b = InetAddresses.forString(address).getAddress();
    if (b.length != 4) {
      throw new IllegalArgumentException("not an IPv4 address: " + address);
    }
    return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
  }
}
