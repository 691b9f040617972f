package dev.connbal.transforms.count;

import dev.connbal.transforms.events.StreamFragment;
import dev.connbal.transforms.keys.FourTuple;
import dev.connbal.transforms.report.ConnBalMetrics;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/**
 * Counts one shard's TCP streams (all-streams mode): merges each 4-tuple's fragments from all
 * bundles (see {@link StreamFragment#merge}), runs the {@link StreamTracker} on it, and counts the
 * connections per (client, backend, port).
 */
public final class CountStreamsFn
    extends DoFn<KV<Integer, Iterable<KV<FourTuple, StreamFragment>>>, KV<BackendPort, Long>> {
  @ProcessElement
  public void process(
      @Element KV<Integer, Iterable<KV<FourTuple, StreamFragment>>> shard,
      OutputReceiver<KV<BackendPort, Long>> out) {
    Map<FourTuple, StreamFragment> streams = new HashMap<>();
    for (KV<FourTuple, StreamFragment> fragment : shard.getValue()) {
      streams.merge(fragment.getKey(), fragment.getValue(), StreamFragment::merge);
    }
    Map<BackendPort, Long> counts = new HashMap<>();
    streams.forEach(
        (tuple, fragment) -> {
          for (BackendPort counted : StreamTracker.countedConnections(tuple, fragment)) {
            counts.merge(counted, 1L, Long::sum);
          }
        });
    counts.forEach((port, n) -> out.output(KV.of(port, n)));
    ConnBalMetrics.CONNECTIONS.inc(counts.values().stream().mapToLong(Long::longValue).sum());
  }
}
