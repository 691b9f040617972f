package dev.connbal.transforms;

import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Counts one shard's connection attempts per (client, backend, port): retransmissions from all
 * bundles merge into one attempt timed by its first SYN, and an attempt counts when that first SYN
 * is at or after the backend's first DNS appearance.
 */
final class CountAttemptsFn
    extends DoFn<KV<Integer, Iterable<KV<AttemptKey, Long>>>, KV<BackendPort, Long>> {
  private final PCollectionView<BackendTable> backendTable;

  CountAttemptsFn(PCollectionView<BackendTable> backendTable) {
    this.backendTable = backendTable;
  }

  @ProcessElement
  public void process(ProcessContext c) {
    Map<AttemptKey, Long> firstSyn = new HashMap<>();
    for (KV<AttemptKey, Long> partial : c.element().getValue()) {
      firstSyn.merge(partial.getKey(), partial.getValue(), Math::min);
    }
    BackendTable table = c.sideInput(backendTable);
    Map<BackendPort, Long> counts = new HashMap<>();
    firstSyn.forEach(
        (attempt, t) -> {
          Long firstSeen = table.firstSeen(ClientBackend.of(attempt.client(), attempt.backend()));
          if (firstSeen != null && t >= firstSeen) {
            counts.merge(attempt.backendPort(), 1L, Long::sum);
          }
        });
    counts.forEach((port, n) -> c.output(KV.of(port, n)));
    ConnBalMetrics.CONNECTIONS.inc(counts.values().stream().mapToLong(Long::longValue).sum());
  }
}
