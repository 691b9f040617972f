package dev.connbal.transforms.count;

import dev.connbal.transforms.events.SynBatch;
import dev.connbal.transforms.timeline.BackendTable;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts one shard's connection attempts per (client, backend, port), default mode: of the SYN
 * batches every range read (pass 1 reads them before any backend is known), only SYNs from a client
 * to one of its DNS backends count, each attempt once however many ranges read its SYNs, and only
 * when its first SYN is at or after the backend's first DNS appearance ({@link AttemptIds}).
 */
public final class AttemptCounts {
  private AttemptCounts() {}

  /**
   * The attempts in {@code batches} per destination, against the first DNS appearance of each of
   * the shard's (client, backend) pairs in {@code firstSeen}; destinations without an attempt on
   * time are left out.
   */
  static Map<BackendPort, Long> count(Iterable<SynBatch> batches, BackendTable firstSeen) {
    Map<BackendPort, AttemptIds> attempts = new HashMap<>();
    for (SynBatch batch : batches) {
      for (int i = 0; i < batch.size(); i++) {
        if (firstSeen.firstSeenOrAbsent(
                batch.clientHigh(i), batch.clientLow(i), batch.serverHigh(i), batch.serverLow(i))
            == BackendTable.ABSENT) {
          continue; // not from a client to one of its DNS backends
        }
        BackendPort destination = new BackendPort(batch.client(i), batch.server(i), batch.port(i));
        attempts
            .computeIfAbsent(destination, d -> new AttemptIds())
            .add(batch.attempt(i), batch.time(i));
      }
    }
    Map<BackendPort, Long> counts = new HashMap<>();
    AttemptIds.OpenAttempts open = new AttemptIds.OpenAttempts();
    attempts.forEach(
        (destination, ids) -> {
          long n = ids.countFrom(firstSeen.firstSeenOrAbsent(destination.pair()), open);
          if (n > 0) {
            counts.put(destination, n);
          }
        });
    return counts;
  }
}
