package dev.connbal.transforms.output;

import dev.connbal.transforms.keys.IpAddress;

/**
 * How addresses print in the TSV (and in the summary and report made from the rows); the forms
 * themselves are {@link IpAddress}'s.
 */
public enum IpFormat {
  /**
   * IPv4 as four zero-padded 3-digit octets ({@code 010.000.001.002}), IPv6 as eight groups of four
   * lowercase hex digits, so that {@code sort -n} orders them.
   */
  PADDED {
    @Override
    public String format(IpAddress address) {
      return address.padded();
    }
  },
  /** IPv4 dotted decimal without padding ({@code 10.0.1.2}), IPv6 in RFC 5952 form. */
  PLAIN {
    @Override
    public String format(IpAddress address) {
      return address.toString();
    }
  };

  public abstract String format(IpAddress address);

  /** Formats an address given in its plain text form, as the rows hold it. */
  public String format(String address) {
    return format(IpAddress.parse(address));
  }

  /**
   * An address as the backend column prints it before {@code :port}: IPv6 in brackets ({@code
   * [2001:db8::1]:443}), so that the port cannot be read as a group.
   */
  public String endpoint(String address) {
    IpAddress a = IpAddress.parse(address);
    return a.isV4() ? format(a) : "[" + format(a) + "]";
  }
}
