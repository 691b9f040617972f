package dev.connbal.transforms.events;

import dev.connbal.transforms.count.AttemptCounts;
import dev.connbal.transforms.keys.IpAddress;
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
 * few array stores (no map, no object per SYN) and encoding a batch is a copy. A batch whose SYNs
 * are all between IPv4 addresses holds each pair in one long (client in the high half), as many
 * bytes as before connbal read IPv6; a batch with an IPv6 SYN holds four longs per SYN, the
 * addresses' halves ({@link IpAddress}).
 */
public final class SynBatch {
  /** Per SYN of an all-IPv4 batch: client and server, each 32 bits; null otherwise. */
  private final long[] v4Pairs;

  /** Per SYN of any other batch: client high, low, server high, low; null otherwise. */
  private final long[] addresses;

  /** Per SYN: server port in the top 16 bits, then the 48 bits of {@link #attempt}. */
  private final long[] portAttempts;

  /** Per SYN: time in µs. */
  private final long[] times;

  private SynBatch(long[] v4Pairs, long[] addresses, long[] portAttempts, long[] times) {
    int n = v4Pairs != null ? v4Pairs.length : addresses.length / 4;
    if ((v4Pairs == null) == (addresses == null)
        || (addresses != null && addresses.length % 4 != 0)
        || portAttempts.length != n
        || times.length != n) {
      throw new IllegalArgumentException(
          "SYN arrays of lengths "
              + (v4Pairs != null ? v4Pairs.length + " pairs" : addresses.length + " addresses")
              + ", "
              + portAttempts.length
              + ", "
              + times.length);
    }
    this.v4Pairs = v4Pairs;
    this.addresses = addresses;
    this.portAttempts = portAttempts;
    this.times = times;
  }

  /** A batch of SYNs between IPv4 addresses; the arrays, of equal length, are taken over. */
  public static SynBatch ofV4(long[] v4Pairs, long[] portAttempts, long[] times) {
    return new SynBatch(v4Pairs, null, portAttempts, times);
  }

  /** A batch of SYNs given by their addresses' halves (four per SYN); the arrays are taken over. */
  public static SynBatch ofAddresses(long[] addresses, long[] portAttempts, long[] times) {
    return new SynBatch(null, addresses, portAttempts, times);
  }

  /**
   * The client (high half) and server (low half) of an IPv4 pair, as an all-IPv4 batch holds it.
   */
  public static long v4Pair(int client, int server) {
    return ((long) client << 32) | (server & 0xFFFF_FFFFL);
  }

  /** An attempt's identity: its client port and initial sequence number, in 48 bits. */
  public static long attempt(int clientPort, long isn) {
    return ((long) (clientPort & 0xFFFF) << 32) | (isn & 0xFFFFFFFFL);
  }

  public int size() {
    return portAttempts.length;
  }

  /** Whether every SYN is between IPv4 addresses (then {@link #v4Pair(int)} holds them). */
  public boolean isV4() {
    return v4Pairs != null;
  }

  /** SYN {@code i}'s pair of an all-IPv4 batch ({@link #v4Pair(int, int)}); for the coder. */
  public long v4Pair(int i) {
    return v4Pairs[i];
  }

  public long clientHigh(int i) {
    return v4Pairs != null ? 0 : addresses[4 * i];
  }

  public long clientLow(int i) {
    return v4Pairs != null ? IpAddress.v4Low((int) (v4Pairs[i] >>> 32)) : addresses[4 * i + 1];
  }

  public long serverHigh(int i) {
    return v4Pairs != null ? 0 : addresses[4 * i + 2];
  }

  public long serverLow(int i) {
    return v4Pairs != null ? IpAddress.v4Low((int) v4Pairs[i]) : addresses[4 * i + 3];
  }

  public IpAddress client(int i) {
    return IpAddress.of(clientHigh(i), clientLow(i));
  }

  public IpAddress server(int i) {
    return IpAddress.of(serverHigh(i), serverLow(i));
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
        && Arrays.equals(v4Pairs, other.v4Pairs)
        && Arrays.equals(addresses, other.addresses)
        && Arrays.equals(portAttempts, other.portAttempts)
        && Arrays.equals(times, other.times);
  }

  @Override
  public int hashCode() {
    return 31
            * (31 * Arrays.hashCode(v4Pairs != null ? v4Pairs : addresses)
                + Arrays.hashCode(portAttempts))
        + Arrays.hashCode(times);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("SynBatch{");
    for (int i = 0; i < size(); i++) {
      s.append(i == 0 ? "" : ", ")
          .append(client(i))
          .append('>')
          .append(server(i))
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
   * SYNs between IPv4 addresses take one long each; the others are kept apart, four longs each.
   */
  public static final class Collector {
    /** Per SYN: its IPv4 pair, or for a SYN with IPv6 its index in {@link #wide}. */
    private long[] pairs = new long[64];

    /** Per SYN, once a SYN with IPv6 was added (null before): whether it has IPv6. */
    private boolean[] isWide;

    private long[] portAttempts = new long[64];
    private long[] times = new long[64];
    private int size;

    /** Four longs per SYN with IPv6: client high, low, server high, low. */
    private long[] wide = new long[0];

    private int wideSize;

    public void add(
        long clientHigh,
        long clientLow,
        long serverHigh,
        long serverLow,
        int port,
        int clientPort,
        long isn,
        long timeMicros) {
      if (size == pairs.length) {
        pairs = Arrays.copyOf(pairs, size * 2);
        portAttempts = Arrays.copyOf(portAttempts, size * 2);
        times = Arrays.copyOf(times, size * 2);
        if (isWide != null) {
          isWide = Arrays.copyOf(isWide, size * 2);
        }
      }
      if (IpAddress.isV4(clientHigh, clientLow) && IpAddress.isV4(serverHigh, serverLow)) {
        pairs[size] = v4Pair((int) clientLow, (int) serverLow);
      } else {
        if (isWide == null) {
          isWide = new boolean[pairs.length];
        }
        if (4 * wideSize == wide.length) {
          wide = Arrays.copyOf(wide, Math.max(64, wide.length * 2));
        }
        isWide[size] = true;
        pairs[size] = wideSize;
        wide[4 * wideSize] = clientHigh;
        wide[4 * wideSize + 1] = clientLow;
        wide[4 * wideSize + 2] = serverHigh;
        wide[4 * wideSize + 3] = serverLow;
        wideSize++;
      }
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
      boolean[] shardIsWide = new boolean[shards.count()];
      for (int i = 0; i < size; i++) {
        if (isWide != null && isWide[i]) {
          int w = 4 * (int) pairs[i];
          shardOf[i] = shards.ofPair(wide[w], wide[w + 1], wide[w + 2], wide[w + 3]);
          shardIsWide[shardOf[i]] = true;
        } else {
          shardOf[i] =
              shards.ofPair(
                  0, IpAddress.v4Low((int) (pairs[i] >>> 32)), 0, IpAddress.v4Low((int) pairs[i]));
        }
        perShard[shardOf[i]]++;
      }
      long[][] shardPairs = new long[perShard.length][];
      long[][] shardPortAttempts = new long[perShard.length][];
      long[][] shardTimes = new long[perShard.length][];
      for (int s = 0; s < perShard.length; s++) {
        if (perShard[s] > 0) {
          shardPairs[s] = new long[perShard[s] * (shardIsWide[s] ? 4 : 1)];
          shardPortAttempts[s] = new long[perShard[s]];
          shardTimes[s] = new long[perShard[s]];
          perShard[s] = 0; // from here on: how many are filled in
        }
      }
      for (int i = 0; i < size; i++) {
        int s = shardOf[i];
        int at = perShard[s]++;
        if (!shardIsWide[s]) {
          shardPairs[s][at] = pairs[i];
        } else if (isWide[i]) {
          System.arraycopy(wide, 4 * (int) pairs[i], shardPairs[s], 4 * at, 4);
        } else {
          shardPairs[s][4 * at + 1] = IpAddress.v4Low((int) (pairs[i] >>> 32));
          shardPairs[s][4 * at + 3] = IpAddress.v4Low((int) pairs[i]);
        }
        shardPortAttempts[s][at] = portAttempts[i];
        shardTimes[s][at] = times[i];
      }
      for (int s = 0; s < perShard.length; s++) {
        if (perShard[s] > 0) {
          output.accept(
              KV.of(
                  s,
                  shardIsWide[s]
                      ? ofAddresses(shardPairs[s], shardPortAttempts[s], shardTimes[s])
                      : ofV4(shardPairs[s], shardPortAttempts[s], shardTimes[s])));
        }
      }
      size = 0;
      wideSize = 0;
      isWide = null;
    }
  }
}
