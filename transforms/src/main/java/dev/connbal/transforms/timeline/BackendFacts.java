package dev.connbal.transforms.timeline;

import dev.connbal.transforms.decode.DnsName;
import dev.connbal.transforms.keys.ClientBackend;
import dev.connbal.transforms.keys.IpAddress;
import java.io.Serializable;
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
 * @param srvPortPriorityWeight for an SRV backend, per port (the ports of {@code srvPortDns}): the
 *     RFC 2782 priority and weight DNS gave it there. Of the SRV records {@code service ->
 *     target:port} naming the backend's target on that port that were known (SEMANTICS.md
 *     "Backends": learnt from any client's matched response, from that response on) at the
 *     responses that listed the backend for the port, the priority is the lowest, and the weight is
 *     that of the most recent record of that priority: a record re-announced with a new weight
 *     replaces the old one, a record of a higher priority never replaces a lower one. The records
 *     are those naming the target on the port whatever their owner, as the ports themselves come
 *     from any SRV answer naming the target (docs/DECISIONS.md, "Which ports does an SRV backend
 *     get?"); when several targets resolve to the backend, their records are pooled. Empty for a
 *     backend of address records only.
 */
public record BackendFacts(
    IpAddress client,
    IpAddress backend,
    long firstSeenMicros,
    DnsName name,
    long dnsCount,
    SortedMap<Integer, Long> srvPortDns,
    SortedMap<Integer, SrvPriorityWeight> srvPortPriorityWeight)
    implements Serializable {
  public BackendFacts {
    if (client == null || backend == null || name == null) {
      throw new NullPointerException("client, backend and name are required");
    }
    srvPortDns = Collections.unmodifiableSortedMap(new TreeMap<>(srvPortDns));
    srvPortPriorityWeight = Collections.unmodifiableSortedMap(new TreeMap<>(srvPortPriorityWeight));
    if (!srvPortPriorityWeight.keySet().equals(srvPortDns.keySet())) {
      throw new IllegalArgumentException(
          "SRV ports "
              + srvPortDns.keySet()
              + " but priorities and weights for "
              + srvPortPriorityWeight.keySet());
    }
  }

  public ClientBackend pair() {
    return ClientBackend.of(client, backend);
  }
}
