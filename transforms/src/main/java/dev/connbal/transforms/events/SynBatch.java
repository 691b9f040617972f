package dev.connbal.transforms.events;

import dev.connbal.transforms.count.AttemptCounts;
import dev.connbal.transforms.keys.ClientBackend;
import dev.connbal.transforms.keys.Shards;
import java.util.Arrays;
import java.util.function.Consumer;
import org.apache.beam.sdk.values.KV;

/**
 * Opening SYNs (SYN without ACK, FIN or RST) that one range of a capture read, of the (client,
 * server) pairs of one shard: per SYN its pair, server port, attempt (client port and initial
 * sequence number, the same for a retransmission) and time, in read order. Pass 1 reads them before
 * any backend is known, so the servers are every server a client opened a connection to; the join
 * after the timeline keeps those that are the client's DNS backends ({@link AttemptCounts}). What
 * crosses the shuffle is one batch per (range, shard), not one element per SYN or destination.
 *
 * <p>The SYNs are parallel arrays of primitives, so that collecting one in the reading loop is a
 * few array stores (no map, no object per SYN) and encoding a batch is a copy.
 */
public final class SynBatch {
  /** Per SYN: {@link ClientBackend} of client and server. */
  private final long[] pairs;

  /** Per SYN: server port in the top 16 bits, then the 48 bits of {@link #attempt}. */
  private final long[] portAttempts;

  /** Per SYN: time in µs. */
  private final long[] times;

  /** A batch of the given SYNs; the arrays, of equal length, are taken over. */
  public SynBatch(long[] pairs, long[] portAttempts, long[] times) {
    if (pairs.length != portAttempts.length || pairs.length != times.length) {
      throw new IllegalArgumentException(
          "SYN arrays of lengths "
              + pairs.length
              + ", "
              + portAttempts.length
              + ", "
              + times.length);
    }
    this.pairs = pairs;
    this.portAttempts = portAttempts;
    this.times = times;
  }

  /** An attempt's identity: its client port and initial sequence number, in 48 bits. */
  public static long attempt(int clientPort, long isn) {
    return ((long) (clientPort & 0xFFFF) << 32) | (isn & 0xFFFFFFFFL);
  }

  public int size() {
    return pairs.length;
  }

  public long pair(int i) {
    return pairs[i];
  }

  public int port(int i) {
    return (int) (portAttempts[i] >>> 48);
  }

  public long attempt(int i) {
    return portAttempts[i] & 0xFFFF_FFFF_FFFFL;
  }

  public long time(int i) {
    return times[i];
  }

  /** The server port and the attempt of SYN {@code i} in one long; for the coder. */
  public long portAttempt(int i) {
    return portAttempts[i];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SynBatch other
        && Arrays.equals(pairs, other.pairs)
        && Arrays.equals(portAttempts, other.portAttempts)
        && Arrays.equals(times, other.times);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(pairs) + Arrays.hashCode(portAttempts))
        + Arrays.hashCode(times);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("SynBatch{");
    for (int i = 0; i < size(); i++) {
      s.append(i == 0 ? "" : ", ")
          .append(ClientBackend.client(pairs[i]))
          .append('>')
          .append(ClientBackend.backend(pairs[i]))
          .append(':')
          .append(port(i))
          .append(" attempt ")
          .append(Long.toHexString(attempt(i)))
          .append(" at ")
          .append(times[i]);
    }
    return s.append('}').toString();
  }

  /**
   * Collects a range's SYNs and hands them out as one batch per shard of (client, server) pairs.
   */
  public static final class Collector {
    private long[] pairs = new long[64];
    private long[] portAttempts = new long[64];
    private long[] times = new long[64];
    private int size;

    public void add(int client, int server, int port, int clientPort, long isn, long timeMicros) {
      if (size == pairs.length) {
        pairs = Arrays.copyOf(pairs, size * 2);
        portAttempts = Arrays.copyOf(portAttempts, size * 2);
        times = Arrays.copyOf(times, size * 2);
      }
      pairs[size] = ClientBackend.of(client, server);
      portAttempts[size] = ((long) (port & 0xFFFF) << 48) | attempt(clientPort, isn);
      times[size] = timeMicros;
      size++;
    }

    /** SYNs added since the last {@link #drainTo}. */
    int count() {
      return size;
    }

    /**
     * Outputs what was added, one batch per shard of (client, server) pairs ({@link Shards#ofPair},
     * each in the order added), and starts empty again.
     */
    public void drainTo(Shards shards, Consumer<KV<Integer, SynBatch>> output) {
      int[] shardOf = new int[size];
      int[] perShard = new int[shards.count()];
      for (int i = 0; i < size; i++) {
        shardOf[i] = shards.ofPair(pairs[i]);
        perShard[shardOf[i]]++;
      }
      long[][] shardPairs = new long[perShard.length][];
      long[][] shardPortAttempts = new long[perShard.length][];
      long[][] shardTimes = new long[perShard.length][];
      for (int s = 0; s < perShard.length; s++) {
        if (perShard[s] > 0) {
          shardPairs[s] = new long[perShard[s]];
          shardPortAttempts[s] = new long[perShard[s]];
          shardTimes[s] = new long[perShard[s]];
          perShard[s] = 0; // from here on: how many are filled in
        }
      }
      for (int i = 0; i < size; i++) {
        int s = shardOf[i];
        int at = perShard[s]++;
        shardPairs[s][at] = pairs[i];
        shardPortAttempts[s][at] = portAttempts[i];
        shardTimes[s][at] = times[i];
      }
      for (int s = 0; s < perShard.length; s++) {
        if (perShard[s] > 0) {
          output.accept(KV.of(s, new SynBatch(shardPairs[s], shardPortAttempts[s], shardTimes[s])));
        }
      }
      size = 0;
    }
  }
}
