package dev.connbal.transforms.count;

import dev.connbal.transforms.ConnBalRow;
import dev.connbal.transforms.events.SynBatch;
import dev.connbal.transforms.keys.ClientBackend;
import dev.connbal.transforms.report.ConnBalMetrics;
import dev.connbal.transforms.timeline.BackendFacts;
import dev.connbal.transforms.timeline.BackendTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Joins the DNS facts of the (client, backend) pairs of one shard with their per-port connection
 * counts into rows ({@link BackendRows}).
 *
 * <p>The counts: in the default mode the shard's SYN batches, whose attempts are counted here
 * against the facts' first appearances ({@link AttemptCounts}), so that no side input and no group
 * of their own makes the SYNs wait for the timeline; in the all-streams mode, the partial counts of
 * the stream-counting shards, added up here.
 */
public final class JoinRowsFn extends DoFn<KV<Integer, CoGbkResult>, ConnBalRow> {
  public static final TupleTag<BackendFacts> FACTS = new TupleTag<>() {};

  /** Default mode: SYN batches of the shard's pairs. */
  public static final TupleTag<SynBatch> SYNS = new TupleTag<>() {};

  /** All-streams mode: partial connection counts of the shard's pairs. */
  public static final TupleTag<KV<BackendPort, Long>> PORT_CONNS = new TupleTag<>() {};

  private final boolean countsAttempts;

  private JoinRowsFn(boolean countsAttempts) {
    this.countsAttempts = countsAttempts;
  }

  /** Joins {@link #FACTS} with the attempts of {@link #SYNS}. */
  public static JoinRowsFn countingAttempts() {
    return new JoinRowsFn(true);
  }

  /** Joins {@link #FACTS} with the sums of {@link #PORT_CONNS}. */
  public static JoinRowsFn addingCounts() {
    return new JoinRowsFn(false);
  }

  @ProcessElement
  public void process(@Element KV<Integer, CoGbkResult> shard, OutputReceiver<ConnBalRow> out) {
    List<BackendFacts> facts = new ArrayList<>();
    shard.getValue().getAll(FACTS).forEach(facts::add);
    Map<ClientBackend, SortedMap<Integer, Long>> connsByPair = new HashMap<>();
    if (countsAttempts) {
      Map<BackendPort, Long> attempts =
          AttemptCounts.count(shard.getValue().getAll(SYNS), BackendTable.ofFacts(facts));
      attempts.forEach((destination, n) -> add(connsByPair, destination, n));
      ConnBalMetrics.CONNECTIONS.inc(attempts.values().stream().mapToLong(Long::longValue).sum());
    } else {
      for (KV<BackendPort, Long> c : shard.getValue().getAll(PORT_CONNS)) {
        add(connsByPair, c.getKey(), c.getValue());
      }
    }
    for (BackendFacts f : facts) {
      SortedMap<Integer, Long> conns = connsByPair.remove(f.pair());
      BackendRows.of(f, conns == null ? new TreeMap<>() : conns, Set.of()).forEach(out::output);
    }
    if (!connsByPair.isEmpty()) {
      // Connections are only ever counted for pairs of the backend table, made from these facts.
      throw new IllegalStateException("connection counts without DNS facts: " + connsByPair);
    }
  }

  private static void add(
      Map<ClientBackend, SortedMap<Integer, Long>> connsByPair, BackendPort destination, long n) {
    connsByPair
        .computeIfAbsent(destination.pair(), p -> new TreeMap<>())
        .merge(destination.port(), n, Long::sum);
  }
}
