package dev.connbal.transforms.keys;

import dev.connbal.transforms.ConnBal;
import dev.connbal.transforms.decode.DnsName;
import java.io.Serializable;

/**
 * Spreads fine-grained keys ((client, backend, port)s, 4-tuples, (client, backend) pairs) over a
 * fixed number of shuffle keys. Grouping by shard instead of by fine key keeps the number of
 * shuffle keys small whatever the capture holds (the Direct runner pays per key, so its cost would
 * grow with the attempts), while each shard's group holds only about 1/count of the fine keys, so
 * memory stays bounded when a group is aggregated in a map. The hash is computed here, not by
 * {@code hashCode()}, so every worker JVM puts a key in the same shard.
 *
 * <p>How many: {@value #DEFAULT_COUNT} by default, which spreads work over many workers and keeps
 * each group small. The Direct runner processes each shard key as a bundle of its own and pays
 * bookkeeping per bundle and step, while it holds everything in memory anyway; a few shards per
 * worker thread suit it better ({@link ConnBal.Analyze#withShardCount}).
 */
public final class Shards implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final int DEFAULT_COUNT = 256;

  /**
   * Shards of clients the DNS timeline runs in by default. Every range outputs a partial per shard
   * it has clients of, so fewer would be cheaper; but a runner spreads keys over its workers by a
   * hash of their own (Flink: key groups), and with few keys some workers get twice their share
   * (bench/scale-out).
   */
  public static final int DEFAULT_TIMELINE_COUNT = 256;

  private final int count;

  public Shards(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("shard count must be at least 1, got " + count);
    }
    this.count = count;
  }

  public int count() {
    return count;
  }

  int of(long a, long b) {
    return (int) Long.remainderUnsigned(mix(mix(a) ^ b), count);
  }

  /**
   * The shard of a (client, backend) pair, whatever the port: where its DNS facts, its SYNs and its
   * connection counts meet for the join.
   */
  public int ofPair(ClientBackend pair) {
    return of(pair.hash(), 0);
  }

  /** {@link #ofPair} of the pair given by its addresses' halves ({@link IpAddress}). */
  public int ofPair(long clientHigh, long clientLow, long backendHigh, long backendLow) {
    return of(ClientBackend.hash(clientHigh, clientLow, backendHigh, backendLow), 0);
  }

  /** The shard of a client: where its DNS events meet for its timeline. */
  public int ofClient(IpAddress clientIp) {
    return ofClient(clientIp.high(), clientIp.low());
  }

  /** {@link #ofClient} of the client given by its address' halves ({@link IpAddress}). */
  public int ofClient(long clientHigh, long clientLow) {
    return of(IpAddress.hash(clientHigh, clientLow), 0);
  }

  /**
   * The shard of a client given by its address text, as the rows hold it: where its rows meet for
   * the balance summary. {@code String.hashCode} is specified by the language, so every JVM agrees.
   */
  public int ofClientAddress(String address) {
    return of(address.hashCode() & 0xFFFFFFFFL, 1);
  }

  /**
   * The shard of a DNS name (an SRV target): where every client shard's knowledge of it meets.
   * {@link DnsName#hashCode} is computed from the name's bytes, so every JVM agrees.
   */
  public int ofName(DnsName name) {
    return of(name.hashCode() & 0xFFFFFFFFL, 2);
  }

  public int of(FourTuple t) {
    return of(
        ClientBackend.hash(t.lowIp().high(), t.lowIp().low(), t.highIp().high(), t.highIp().low()),
        ((long) t.lowPort() << 16) | t.highPort());
  }

  /** The finalizer of MurmurHash3's 64-bit hash: every input bit affects every output bit. */
  public static long mix(long x) {
    x ^= x >>> 33;
    x *= 0xff51afd7ed558ccdL;
    x ^= x >>> 33;
    x *= 0xc4ceb9fe1a85ec53L;
    x ^= x >>> 33;
    return x;
  }
}
