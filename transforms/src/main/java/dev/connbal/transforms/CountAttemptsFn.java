package dev.connbal.transforms;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/**
 * Counts one shard's connection attempts per (client, backend, port): the attempt sets of all
 * ranges merge, so that retransmissions read by different ranges count once, and an attempt
 * counts when none of its SYNs came before the backend's first DNS appearance (see {@link
 * AttemptIds}).
 */
final class CountAttemptsFn
    extends DoFn<KV<Integer, Iterable<KV<BackendPort, AttemptIds>>>, KV<BackendPort, Long>> {
  @ProcessElement
  public void process(
      @Element KV<Integer, Iterable<KV<BackendPort, AttemptIds>>> shard,
      OutputReceiver<KV<BackendPort, Long>> out) {
    Map<BackendPort, List<AttemptIds>> parts = new HashMap<>();
    for (KV<BackendPort, AttemptIds> part : shard.getValue()) {
      parts.computeIfAbsent(part.getKey(), k -> new ArrayList<>()).add(part.getValue());
    }
    long total = 0;
    for (Map.Entry<BackendPort, List<AttemptIds>> e : parts.entrySet()) {
      long n = AttemptIds.countOnTime(e.getValue());
      if (n > 0) {
        out.output(KV.of(e.getKey(), n));
        total += n;
      }
    }
    ConnBalMetrics.CONNECTIONS.inc(total);
  }
}
