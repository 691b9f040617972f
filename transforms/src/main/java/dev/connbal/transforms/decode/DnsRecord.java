package dev.connbal.transforms.decode;

import dev.connbal.transforms.keys.IpAddress;
import java.util.Objects;

/**
 * One resource record of a decoded {@link DnsMessage}: owner name, type, class, TTL, and the rdata
 * connbal uses (A or AAAA address, SRV priority, weight, port and target, CNAME target). Types are
 * an open set of ints; records of other types keep only the common fields.
 */
public final class DnsRecord {
  public static final int A = 1;
  public static final int CNAME = 5;
  public static final int AAAA = 28;
  public static final int SRV = 33;
  public static final int OPT = 41;
  public static final int CLASS_IN = 1;

  private final DnsName name;
  private final int type;
  private final int dnsClass;
  private final long ttl;

  /** SRV: the port; otherwise 0. */
  private final int value;

  /** A and AAAA: the address; otherwise null. */
  private final IpAddress address;

  /** SRV: PRIORITY and WEIGHT (RFC 2782), each an unsigned 16-bit field; otherwise 0. */
  private final int srvPriority;

  private final int srvWeight;

  /** SRV and CNAME: the target; otherwise null. */
  private final DnsName target;

  private DnsRecord(
      DnsName name,
      int type,
      int dnsClass,
      long ttl,
      int value,
      int srvPriority,
      int srvWeight,
      DnsName target,
      IpAddress address) {
    this.name = Objects.requireNonNull(name, "name");
    this.address = address;
    this.type = type;
    this.dnsClass = dnsClass;
    this.ttl = ttl;
    this.value = value;
    this.srvPriority = srvPriority;
    this.srvWeight = srvWeight;
    this.target = target;
  }

  /** An A record ({@code address} IPv4) or an AAAA record (IPv6; an IPv4-mapped one is IPv4). */
  static DnsRecord address(DnsName name, int type, int dnsClass, long ttl, IpAddress address) {
    if (type != A && type != AAAA) {
      throw new IllegalArgumentException("type " + type + " has no address");
    }
    return new DnsRecord(name, type, dnsClass, ttl, 0, 0, 0, null, Objects.requireNonNull(address));
  }

  static DnsRecord srv(
      DnsName name, int dnsClass, long ttl, int priority, int weight, int port, DnsName target) {
    return new DnsRecord(
        name, SRV, dnsClass, ttl, port, priority, weight, Objects.requireNonNull(target), null);
  }

  static DnsRecord cname(DnsName name, int dnsClass, long ttl, DnsName target) {
    return new DnsRecord(name, CNAME, dnsClass, ttl, 0, 0, 0, Objects.requireNonNull(target), null);
  }

  /** A record whose rdata connbal does not interpret. */
  static DnsRecord other(DnsName name, int type, int dnsClass, long ttl) {
    if (type == A || type == AAAA || type == SRV || type == CNAME) {
      throw new IllegalArgumentException("type " + type + " has typed rdata");
    }
    return new DnsRecord(name, type, dnsClass, ttl, 0, 0, 0, null, null);
  }

  /** Owner name. */
  public DnsName name() {
    return name;
  }

  /** Record type (TYPE field), e.g. {@link #A}. */
  public int type() {
    return type;
  }

  /** CLASS field; for {@link #OPT} records this is the sender's UDP payload size. */
  public int dnsClass() {
    return dnsClass;
  }

  /** TTL in seconds (unsigned 32-bit). */
  public long ttl() {
    return ttl;
  }

  /** Whether this is an address record (A or AAAA), which has an {@link #address}. */
  public boolean isAddress() {
    return address != null;
  }

  /**
   * The address of an A or AAAA record. Every record of those types has one: rdata of another
   * length (4, 16) fails decoding.
   *
   * @throws IllegalStateException if this is not an A or AAAA record
   */
  public IpAddress address() {
    if (address == null) {
      throw new IllegalStateException("record of type " + type + " is not an address record");
    }
    return address;
  }

  /** Port of an SRV record. @throws IllegalStateException if this is not an SRV record */
  public int srvPort() {
    requireType(SRV);
    return value;
  }

  /**
   * PRIORITY of an SRV record (0 to 65535; lower is preferred, RFC 2782).
   *
   * @throws IllegalStateException if this is not an SRV record
   */
  public int srvPriority() {
    requireType(SRV);
    return srvPriority;
  }

  /**
   * WEIGHT of an SRV record (0 to 65535; the relative share among targets of equal priority, RFC
   * 2782).
   *
   * @throws IllegalStateException if this is not an SRV record
   */
  public int srvWeight() {
    requireType(SRV);
    return srvWeight;
  }

  /** Target of an SRV record. @throws IllegalStateException if this is not an SRV record */
  public DnsName srvTarget() {
    requireType(SRV);
    return target;
  }

  /** Target of a CNAME record. @throws IllegalStateException if this is not a CNAME record */
  public DnsName cnameTarget() {
    requireType(CNAME);
    return target;
  }

  private void requireType(int expected) {
    if (type != expected) {
      throw new IllegalStateException("record of type " + type + " is not of type " + expected);
    }
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof DnsRecord r)) {
      return false;
    }
    return type == r.type
        && dnsClass == r.dnsClass
        && ttl == r.ttl
        && value == r.value
        && srvPriority == r.srvPriority
        && srvWeight == r.srvWeight
        && name.equals(r.name)
        && Objects.equals(target, r.target)
        && Objects.equals(address, r.address);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, type, dnsClass, ttl, value, srvPriority, srvWeight, target, address);
  }

  @Override
  public String toString() {
    StringBuilder sb =
        new StringBuilder()
            .append(name)
            .append(' ')
            .append(ttl)
            .append(" class ")
            .append(dnsClass)
            .append(" type ")
            .append(type);
    if (address != null) {
      sb.append(' ').append(address);
    } else if (type == SRV) {
      sb.append(' ')
          .append(srvPriority)
          .append(' ')
          .append(srvWeight)
          .append(' ')
          .append(target)
          .append(':')
          .append(value);
    } else if (type == CNAME) {
      sb.append(' ').append(target);
    }
    return sb.toString();
  }
}
