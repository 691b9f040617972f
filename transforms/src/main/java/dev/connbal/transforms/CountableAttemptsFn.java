package dev.connbal.transforms;

import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Keeps the attempts whose first SYN is at or after the backend's first DNS appearance, as the
 * (client, backend, port) they count for. Attempts before any DNS answer named the backend are
 * not counted.
 */
final class CountableAttemptsFn extends DoFn<KV<AttemptKey, Long>, BackendPort> {
  private final PCollectionView<Map<Long, Long>> backendTable;

  CountableAttemptsFn(PCollectionView<Map<Long, Long>> backendTable) {
    this.backendTable = backendTable;
  }

  @ProcessElement
  public void process(ProcessContext c) {
    AttemptKey attempt = c.element().getKey();
    long firstSyn = c.element().getValue();
    Long firstSeen = c.sideInput(backendTable).get(ClientBackend.of(attempt.client(), attempt.backend()));
    if (firstSeen != null && firstSyn >= firstSeen) {
      c.output(attempt.backendPort());
      ConnBalMetrics.CONNECTIONS.inc();
    }
  }
}
