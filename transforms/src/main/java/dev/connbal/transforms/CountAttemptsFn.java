package dev.connbal.transforms;

import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Counts one shard's connection attempts per (client, backend, port), default mode: of the SYN
 * batches every range read (pass 1 reads them before any backend is known), only SYNs from a
 * client to one of its DNS backends count, each attempt once however many ranges read its SYNs,
 * and only when none of its SYNs came before the backend's first DNS appearance ({@link
 * AttemptIds}). The backend table is the side input, so the count runs once the timeline is done.
 */
final class CountAttemptsFn extends DoFn<KV<Integer, Iterable<SynBatch>>, KV<BackendPort, Long>> {
  private final PCollectionView<BackendTable> backendTable;

  CountAttemptsFn(PCollectionView<BackendTable> backendTable) {
    this.backendTable = backendTable;
  }

  @ProcessElement
  public void process(ProcessContext c) {
    BackendTable table = c.sideInput(backendTable);
    Map<BackendPort, AttemptIds> attempts = new HashMap<>();
    for (SynBatch batch : c.element().getValue()) {
      for (int i = 0; i < batch.size(); i++) {
        long pair = batch.pair(i);
        long firstSeen = table.firstSeenOrAbsent(pair);
        if (firstSeen == BackendTable.ABSENT) {
          continue; // not from a client to one of its DNS backends
        }
        BackendPort destination =
            new BackendPort(ClientBackend.client(pair), ClientBackend.backend(pair), batch.port(i));
        attempts
            .computeIfAbsent(destination, d -> new AttemptIds())
            .add(batch.attempt(i), batch.time(i) < firstSeen);
      }
    }
    long total = 0;
    for (Map.Entry<BackendPort, AttemptIds> e : attempts.entrySet()) {
      long n = e.getValue().countOnTime();
      if (n > 0) {
        c.output(KV.of(e.getKey(), n));
        total += n;
      }
    }
    ConnBalMetrics.CONNECTIONS.inc(total);
  }
}
