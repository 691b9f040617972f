package dev.connbal.transforms.events;

import dev.connbal.transforms.decode.DnsName;
import dev.connbal.transforms.decode.DnsRecord;
import dev.connbal.transforms.keys.IpAddress;
import java.io.Serializable;

/**
 * One resource record of a DNS response that the backend rules can use: an address record (A or
 * AAAA, SEMANTICS.md's "address records": the rules treat them alike, the family is the address')
 * of the answer or additional section, or an SRV or CNAME record of the answer section. Everything
 * else (other types, authority records, OPT) is dropped at extraction.
 *
 * @param type {@link #ADDRESS} for an A or AAAA record, {@link DnsRecord#SRV} or {@link
 *     DnsRecord#CNAME}
 * @param address the address of an address record, otherwise null
 * @param port the port of an SRV record, otherwise 0
 * @param priority the PRIORITY of an SRV record (0 to 65535, lower preferred), otherwise 0
 * @param weight the WEIGHT of an SRV record (0 to 65535), otherwise 0
 * @param target the target of an SRV or CNAME record, otherwise null
 */
public record DnsEventRecord(
    Section section,
    int type,
    DnsName owner,
    IpAddress address,
    int port,
    int priority,
    int weight,
    DnsName target)
    implements Serializable {
  /** The response section a record came from. */
  public enum Section {
    ANSWER,
    ADDITIONAL
  }

  /**
   * Receives the usable records of a response one at a time ({@link RangeEvents#usableRecords}), so
   * that they can be written where they are wanted without a record object each.
   */
  public interface Visitor {
    /** An address record (A or AAAA) of {@code section}. */
    void address(Section section, DnsName owner, IpAddress address);

    /** An SRV answer {@code service -> target:port} of the given priority and weight. */
    void srv(DnsName service, DnsName target, int port, int priority, int weight);

    /** A CNAME answer {@code alias -> target}. */
    void cname(DnsName alias, DnsName target);
  }

  /** The type of an address record, A or AAAA alike. */
  public static final int ADDRESS = DnsRecord.A;

  public DnsEventRecord {
    if (section == null || owner == null) {
      throw new NullPointerException("section and owner are required");
    }
    if ((type == DnsRecord.SRV || type == DnsRecord.CNAME) != (target != null)) {
      throw new IllegalArgumentException("SRV and CNAME records, and only they, have a target");
    }
    if ((type == ADDRESS) != (address != null)) {
      throw new IllegalArgumentException("address records, and only they, have an address");
    }
    if (type != ADDRESS && type != DnsRecord.SRV && type != DnsRecord.CNAME) {
      throw new IllegalArgumentException("unexpected record type " + type);
    }
    if (type == DnsRecord.SRV
        ? (priority & ~0xffff) != 0 || (weight & ~0xffff) != 0
        : priority != 0 || weight != 0) {
      throw new IllegalArgumentException(
          "priority " + priority + " and weight " + weight + " for a record of type " + type);
    }
  }

  /** An address record (A or AAAA) of {@code section}. */
  public static DnsEventRecord address(Section section, DnsName owner, IpAddress address) {
    return new DnsEventRecord(section, ADDRESS, owner, address, 0, 0, 0, null);
  }

  /** An SRV answer {@code service -> target:port} of the given priority and weight. */
  public static DnsEventRecord srv(
      DnsName service, DnsName target, int port, int priority, int weight) {
    return new DnsEventRecord(
        Section.ANSWER, DnsRecord.SRV, service, null, port, priority, weight, target);
  }

  public static DnsEventRecord cname(DnsName alias, DnsName target) {
    return new DnsEventRecord(Section.ANSWER, DnsRecord.CNAME, alias, null, 0, 0, 0, target);
  }

  public boolean isAddress() {
    return type == ADDRESS;
  }

  public boolean isSrv() {
    return type == DnsRecord.SRV;
  }

  public boolean isCname() {
    return type == DnsRecord.CNAME;
  }
}
