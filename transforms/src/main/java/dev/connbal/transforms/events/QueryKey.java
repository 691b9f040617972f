package dev.connbal.transforms.events;

import dev.connbal.transforms.decode.DnsName;
import dev.connbal.transforms.keys.IpAddress;
import java.io.Serializable;

/**
 * What identifies a DNS query and the response that answers it (SEMANTICS.md "Events"): client IP,
 * client port, server IP, DNS id and query name (compared case-insensitively, as DNS does).
 */
public record QueryKey(IpAddress clientIp, int clientPort, IpAddress serverIp, int id, DnsName name)
    implements Serializable {
  public QueryKey {
    if (clientIp == null || serverIp == null || name == null) {
      throw new NullPointerException("clientIp, serverIp and name are required");
    }
  }

  // Written out: the timeline looks a key up for every query and response, and a record's
  // generated equals and hashCode go through a method-handle bootstrap that the JIT compiles late.

  @Override
  public boolean equals(Object o) {
    return o instanceof QueryKey k
        && clientPort == k.clientPort
        && clientIp.equals(k.clientIp)
        && serverIp.equals(k.serverIp)
        && id == k.id
        && name.equals(k.name);
  }

  @Override
  public int hashCode() {
    int h = clientIp.hashCode();
    h = 31 * h + clientPort;
    h = 31 * h + serverIp.hashCode();
    h = 31 * h + id;
    return 31 * h + name.hashCode();
  }
}
