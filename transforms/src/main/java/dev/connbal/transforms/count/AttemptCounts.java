package dev.connbal.transforms.count;

import dev.connbal.transforms.events.SynBatch;
import dev.connbal.transforms.keys.ClientBackend;
import dev.connbal.transforms.keys.Shards;
import dev.connbal.transforms.timeline.BackendTable;
import java.util.HashMap;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;

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
    Destinations attempts = new Destinations();
    for (SynBatch batch : batches) {
      for (int i = 0; i < batch.size(); i++) {
        int pair =
            firstSeen.slotOf(
                batch.clientHigh(i), batch.clientLow(i), batch.serverHigh(i), batch.serverLow(i));
        if (pair < 0) {
          continue; // not from a client to one of its DNS backends
        }
        attempts.of(pair, batch.port(i)).add(batch.attempt(i), batch.time(i));
      }
    }
    Map<BackendPort, Long> counts = new HashMap<>();
    AttemptIds.OpenAttempts open = new AttemptIds.OpenAttempts();
    for (int d = 0; d < attempts.ids.length; d++) {
      AttemptIds ids = attempts.ids[d];
      if (ids == null) {
        continue;
      }
      int pair = Destinations.pair(attempts.keys[d]);
      long n = ids.countFrom(firstSeen.firstSeenAt(pair), open);
      if (n > 0) {
        ClientBackend p = firstSeen.pairAt(pair);
        counts.put(
            new BackendPort(p.client(), p.backend(), Destinations.port(attempts.keys[d])), n);
      }
    }
    return counts;
  }

  /**
   * The attempts per destination, a destination being the slot of its (client, backend) pair in the
   * backend table and its port in one long, open-addressed: a SYN is counted without a key object
   * (the shard's SYNs are most of the join's work).
   */
  private static final class Destinations {
    private long[] keys = new long[64];

    /** Null in a free slot. */
    private @Nullable AttemptIds[] ids = new AttemptIds[64];

    private int size;

    AttemptIds of(int pair, int port) {
      long key = ((long) pair << 16) | port;
      int slot = slotOf(keys, ids, key);
      AttemptIds found = ids[slot];
      if (found != null) {
        return found;
      }
      if (2 * (size + 1) > ids.length) {
        grow();
        slot = slotOf(keys, ids, key);
      }
      AttemptIds created = new AttemptIds();
      keys[slot] = key;
      ids[slot] = created;
      size++;
      return created;
    }

    static int pair(long key) {
      return (int) (key >>> 16);
    }

    static int port(long key) {
      return (int) (key & 0xffff);
    }

    /** The slot that holds {@code key}, or the free slot where it would go. */
    private static int slotOf(long[] keys, @Nullable AttemptIds[] ids, long key) {
      int mask = ids.length - 1;
      int slot = (int) Shards.mix(key) & mask;
      while (ids[slot] != null && keys[slot] != key) {
        slot = (slot + 1) & mask;
      }
      return slot;
    }

    private void grow() {
      long[] oldKeys = keys;
      AttemptIds[] oldIds = ids;
      keys = new long[oldKeys.length * 2];
      ids = new AttemptIds[oldIds.length * 2];
      for (int old = 0; old < oldIds.length; old++) {
        if (oldIds[old] != null) {
          int slot = slotOf(keys, ids, oldKeys[old]);
          keys[slot] = oldKeys[old];
          ids[slot] = oldIds[old];
        }
      }
    }
  }
}
