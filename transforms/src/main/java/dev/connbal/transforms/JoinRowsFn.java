package dev.connbal.transforms;

import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Joins one (client, backend)'s DNS facts with its per-port connection counts into rows: one per
 * SRV port and per port with counted connections, or one {@code ip:?} row when no port is known.
 * An SRV port's #dns counts the responses that listed the backend for that port; any other row's
 * #dns counts every response that listed the backend.
 */
final class JoinRowsFn extends DoFn<KV<Long, CoGbkResult>, TsvRow> {
  static final TupleTag<BackendFacts> FACTS = new TupleTag<>() {};
  static final TupleTag<KV<Integer, Long>> PORT_CONNS = new TupleTag<>() {};

  @ProcessElement
  public void process(@Element KV<Long, CoGbkResult> joined, OutputReceiver<TsvRow> out) {
    BackendFacts facts = joined.getValue().getOnly(FACTS, null);
    SortedMap<Integer, Long> conns = new TreeMap<>();
    for (KV<Integer, Long> c : joined.getValue().getAll(PORT_CONNS)) {
      conns.merge(c.getKey(), c.getValue(), Long::sum);
    }
    if (facts == null) {
      // Connections are only ever counted for pairs of the backend table, made from these facts.
      throw new IllegalStateException(
          "connection counts without DNS facts for pair " + joined.getKey() + ": " + conns);
    }
    String name = facts.name().presentation();
    TreeSet<Integer> ports = new TreeSet<>(facts.srvPortDns().keySet());
    ports.addAll(conns.keySet());
    if (ports.isEmpty()) {
      out.output(
          new TsvRow(facts.client(), facts.backend(), TsvRow.UNKNOWN_PORT, 0, facts.dnsCount(), name));
    }
    for (int port : ports) {
      out.output(
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
