package dev.connbal.transforms.count;

import dev.connbal.transforms.keys.ClientBackend;
import dev.connbal.transforms.keys.Shards;

/** A (client, backend, port): what one TSV row counts connections for. */
public record BackendPort(int client, int backend, int port) {
  public long pair() {
    return ClientBackend.of(client, backend);
  }

  // Pass 1 looks one up per opening SYN: a record's generated equals and hashCode go through a
  // method-handle bootstrap that the JIT compiles late.

  @Override
  public boolean equals(Object o) {
    return o instanceof BackendPort k
        && client == k.client
        && backend == k.backend
        && port == k.port;
  }

  @Override
  public int hashCode() {
    return (int) Shards.mix(pair() ^ ((long) port << 16));
  }
}
