package dev.connbal.transforms.decode;

import java.util.Objects;

/**
 * One resource record of a decoded {@link DnsMessage}: owner name, type, class, TTL, and the rdata
 * connbal uses (A address, SRV priority, weight, port and target, CNAME target). Types are an open
 * set of ints; records of other types keep only the common fields.
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

  /** A: the address; SRV: the port; otherwise 0. */
  private final int value;

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
      DnsName target) {
    this.name = Objects.requireNonNull(name, "name");
    this.type = type;
    this.dnsClass = dnsClass;
    this.ttl = ttl;
    this.value = value;
    this.srvPriority = srvPriority;
    this.srvWeight = srvWeight;
    this.target = target;
  }

  static DnsRecord address(DnsName name, int dnsClass, long ttl, int address) {
    return new DnsRecord(name, A, dnsClass, ttl, address, 0, 0, null);
  }

  static DnsRecord srv(
      DnsName name, int dnsClass, long ttl, int priority, int weight, int port, DnsName target) {
    return new DnsRecord(
        name, SRV, dnsClass, ttl, port, priority, weight, Objects.requireNonNull(target));
  }

  static DnsRecord cname(DnsName name, int dnsClass, long ttl, DnsName target) {
    return new DnsRecord(name, CNAME, dnsClass, ttl, 0, 0, 0, Objects.requireNonNull(target));
  }

  /** A record whose rdata connbal does not interpret. */
  static DnsRecord other(DnsName name, int type, int dnsClass, long ttl) {
    if (type == A || type == SRV || type == CNAME) {
      throw new IllegalArgumentException("type " + type + " has typed rdata");
    }
    return new DnsRecord(name, type, dnsClass, ttl, 0, 0, 0, null);
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

  /**
   * The IPv4 address of an A record (network order, first octet in the high byte). Every record of
   * type {@link #A} has one: A rdata of another length fails decoding.
   *
   * @throws IllegalStateException if this is not an A record
   */
  public int aAddress() {
    requireType(A);
    return value;
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
        && Objects.equals(target, r.target);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, type, dnsClass, ttl, value, srvPriority, srvWeight, target);
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
    if (type == A) {
      sb.append(' ')
          .append(value >>> 24)
          .append('.')
          .append((value >>> 16) & 0xff)
          .append('.')
          .append((value >>> 8) & 0xff)
          .append('.')
          .append(value & 0xff);
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
