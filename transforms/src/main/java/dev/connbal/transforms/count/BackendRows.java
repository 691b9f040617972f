package dev.connbal.transforms.count;

import dev.connbal.transforms.ConnBalRow;
import dev.connbal.transforms.timeline.BackendFacts;
import dev.connbal.transforms.timeline.SrvPriorityWeight;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * How one backend's DNS facts and connection counts become rows (SEMANTICS.md "Output"): one per
 * SRV port and per port with counted connections, or one {@code ip:?} row when no port is known. An
 * SRV port's #dns counts the responses that listed the backend for that port, and its SRV priority
 * and weight are the facts' for that port ({@link BackendFacts#srvPortPriorityWeight}); any other
 * row's #dns counts every response that listed the backend, and it has no priority or weight (no
 * SRV record names the backend on its port).
 */
public final class BackendRows {
  private BackendRows() {}

  /**
   * The rows of {@code facts} with the connections of {@code conns} (per port), on the facts' SRV
   * ports, the ports of {@code conns} and {@code morePorts}.
   */
  public static List<ConnBalRow> of(
      BackendFacts facts, Map<Integer, Long> conns, Set<Integer> morePorts) {
    ConnBalRow.Builder row =
        ConnBalRow.builder()
            .setClient(facts.client().toString())
            .setBackend(facts.backend().toString())
            .setName(facts.name().presentation());
    TreeSet<Integer> ports = new TreeSet<>(facts.srvPortDns().keySet());
    ports.addAll(conns.keySet());
    ports.addAll(morePorts);
    List<ConnBalRow> rows = new ArrayList<>();
    if (ports.isEmpty()) {
      rows.add(row.setPort(null).setConns(0).setDns(facts.dnsCount()).build());
    }
    for (int port : ports) {
      SrvPriorityWeight srv = facts.srvPortPriorityWeight().get(port);
      rows.add(
          row.setPort(port)
              .setConns(conns.getOrDefault(port, 0L))
              .setDns(facts.srvPortDns().getOrDefault(port, facts.dnsCount()))
              .setSrvPriority(srv == null ? null : srv.priority())
              .setSrvWeight(srv == null ? null : srv.weight())
              .build());
    }
    return rows;
  }
}
