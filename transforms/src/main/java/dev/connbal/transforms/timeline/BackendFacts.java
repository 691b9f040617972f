package dev.connbal.transforms.timeline;

import dev.connbal.transforms.keys.ClientBackend;
import dev.connbal.transforms.decode.DnsName;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What DNS taught about one backend of one client: the output of the DNS timeline and the DNS half
 * of the final join.
 *
 * @param firstSeenMicros timestamp of the first matched response that listed the backend; only
 *     connection attempts at or after it count
 * @param name the name that created the backend (the A record's owner, or the SRV service)
 * @param dnsCount matched responses that listed the backend, whatever the port
 * @param srvPortDns for an SRV backend, per port: matched responses that listed it for that port
 */
public record BackendFacts(
    int client,
    int backend,
    long firstSeenMicros,
    DnsName name,
    long dnsCount,
    SortedMap<Integer, Long> srvPortDns) {
  public BackendFacts {
    if (name == null) {
      throw new NullPointerException("name");
    }
    srvPortDns = Collections.unmodifiableSortedMap(new TreeMap<>(srvPortDns));
  }

  public long pair() {
    return ClientBackend.of(client, backend);
  }
}
