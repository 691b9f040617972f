package dev.connbal.transforms;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Joins the DNS facts of the (client, backend) pairs of one shard with their per-port connection
 * counts (partial counts of the counting shards, added up here) into rows: one per SRV port and per
 * port with counted connections, or one {@code ip:?} row when no port is known. An SRV port's #dns
 * counts the responses that listed the backend for that port; any other row's #dns counts every
 * response that listed the backend. A shard's rows leave as one batch (none when it has no row).
 */
final class JoinRowsFn extends DoFn<KV<Integer, CoGbkResult>, List<TsvRow>> {
  static final TupleTag<BackendFacts> FACTS = new TupleTag<>() {};
  static final TupleTag<KV<BackendPort, Long>> PORT_CONNS = new TupleTag<>() {};

  @ProcessElement
  public void process(
      @Element KV<Integer, CoGbkResult> shard, OutputReceiver<List<TsvRow>> out) {
    Map<Long, SortedMap<Integer, Long>> connsByPair = new HashMap<>();
    for (KV<BackendPort, Long> c : shard.getValue().getAll(PORT_CONNS)) {
      connsByPair
          .computeIfAbsent(c.getKey().pair(), p -> new TreeMap<>())
          .merge(c.getKey().port(), c.getValue(), Long::sum);
    }
    List<TsvRow> rows = new ArrayList<>();
    for (BackendFacts facts : shard.getValue().getAll(FACTS)) {
      SortedMap<Integer, Long> conns = connsByPair.remove(facts.pair());
      addRows(facts, conns == null ? new TreeMap<>() : conns, rows);
    }
    if (!connsByPair.isEmpty()) {
      // Connections are only ever counted for pairs of the backend table, made from these facts.
      throw new IllegalStateException("connection counts without DNS facts: " + connsByPair);
    }
    if (!rows.isEmpty()) {
      out.output(rows);
    }
  }

  private static void addRows(
      BackendFacts facts, SortedMap<Integer, Long> conns, List<TsvRow> rows) {
    String name = facts.name().presentation();
    TreeSet<Integer> ports = new TreeSet<>(facts.srvPortDns().keySet());
    ports.addAll(conns.keySet());
    if (ports.isEmpty()) {
      rows.add(
          new TsvRow(
              facts.client(), facts.backend(), TsvRow.UNKNOWN_PORT, 0, facts.dnsCount(), name));
    }
    for (int port : ports) {
      rows.add(
          new TsvRow(
              facts.client(),
              facts.backend(),
              port,
              conns.getOrDefault(port, 0L),
              facts.srvPortDns().getOrDefault(port, facts.dnsCount()),
              name));
    }
  }
}
