package dev.connbal.transforms.keys;

import java.io.Serializable;

/**
 * A (client IP, backend IP) pair: the key of the backend table, of the DNS facts and of the final
 * join. Ordered by client, then backend ({@link IpAddress#compareTo}); hashed well-mixed, so pairs
 * of one subnet spread over a hash table's buckets.
 */
public record ClientBackend(IpAddress client, IpAddress backend)
    implements Comparable<ClientBackend>, Serializable {
  public ClientBackend {
    if (client == null || backend == null) {
      throw new NullPointerException("client and backend are required");
    }
  }

  public static ClientBackend of(IpAddress client, IpAddress backend) {
    return new ClientBackend(client, backend);
  }

  /** A well-mixed hash of a pair given by its addresses' halves. */
  public static long hash(long clientHigh, long clientLow, long backendHigh, long backendLow) {
    return Shards.mix(IpAddress.hash(clientHigh, clientLow) ^ backendHigh) ^ backendLow;
  }

  public long hash() {
    return hash(client.high(), client.low(), backend.high(), backend.low());
  }

  @Override
  public int compareTo(ClientBackend o) {
    int byClient = client.compareTo(o.client);
    return byClient != 0 ? byClient : backend.compareTo(o.backend);
  }

  // Written out: looked up for every address record of every response.

  @Override
  public boolean equals(Object o) {
    return o instanceof ClientBackend p && client.equals(p.client) && backend.equals(p.backend);
  }

  /** One multiply-and-fold of the addresses' own hashes: pairs of one subnet still spread. */
  @Override
  public int hashCode() {
    long h = (client.hashCode() * 0x9E3779B97F4A7C15L) ^ backend.hashCode();
    return (int) (h ^ (h >>> 32));
  }
}
