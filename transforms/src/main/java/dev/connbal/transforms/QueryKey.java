package dev.connbal.transforms;

import dev.connbal.transforms.decode.DnsName;

/**
 * What identifies a DNS query and the response that answers it (SEMANTICS.md "Events"): client IP,
 * client port, server IP, DNS id and query name (compared case-insensitively, as DNS does).
 */
record QueryKey(int clientIp, int clientPort, int serverIp, int id, DnsName name) {
  QueryKey {
    if (name == null) {
      throw new NullPointerException("name");
    }
  }
}
