package dev.connbal.transforms.events;

import dev.connbal.transforms.decode.DnsName;
import dev.connbal.transforms.decode.DnsRecord;
import java.io.Serializable;

/**
 * One resource record of a DNS response that the backend rules can use: an A record of the answer
 * or additional section, or an SRV or CNAME record of the answer section. Everything else (other
 * types, authority records, OPT) is dropped at extraction.
 *
 * @param address the IPv4 address of an A record, otherwise 0
 * @param port the port of an SRV record, otherwise 0
 * @param priority the PRIORITY of an SRV record (0 to 65535, lower preferred), otherwise 0
 * @param weight the WEIGHT of an SRV record (0 to 65535), otherwise 0
 * @param target the target of an SRV or CNAME record, otherwise null
 */
public record DnsEventRecord(
    Section section,
    int type,
    DnsName owner,
    int address,
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

  public DnsEventRecord {
    if (section == null || owner == null) {
      throw new NullPointerException("section and owner are required");
    }
    if ((type == DnsRecord.SRV || type == DnsRecord.CNAME) != (target != null)) {
      throw new IllegalArgumentException("SRV and CNAME records, and only they, have a target");
    }
    if (type != DnsRecord.A && type != DnsRecord.SRV && type != DnsRecord.CNAME) {
      throw new IllegalArgumentException("unexpected record type " + type);
    }
    if (type == DnsRecord.SRV
        ? (priority & ~0xffff) != 0 || (weight & ~0xffff) != 0
        : priority != 0 || weight != 0) {
      throw new IllegalArgumentException(
          "priority " + priority + " and weight " + weight + " for a record of type " + type);
    }
  }

  public static DnsEventRecord a(Section section, DnsName owner, int address) {
    return new DnsEventRecord(section, DnsRecord.A, owner, address, 0, 0, 0, null);
  }

  /** An SRV answer {@code service -> target:port} of the given priority and weight. */
  public static DnsEventRecord srv(
      DnsName service, DnsName target, int port, int priority, int weight) {
    return new DnsEventRecord(
        Section.ANSWER, DnsRecord.SRV, service, 0, port, priority, weight, target);
  }

  public static DnsEventRecord cname(DnsName alias, DnsName target) {
    return new DnsEventRecord(Section.ANSWER, DnsRecord.CNAME, alias, 0, 0, 0, 0, target);
  }

  public boolean isA() {
    return type == DnsRecord.A;
  }

  public boolean isSrv() {
    return type == DnsRecord.SRV;
  }

  public boolean isCname() {
    return type == DnsRecord.CNAME;
  }
}
