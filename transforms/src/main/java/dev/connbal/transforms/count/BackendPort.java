package dev.connbal.transforms.count;

import dev.connbal.transforms.keys.ClientBackend;
import dev.connbal.transforms.keys.IpAddress;
import dev.connbal.transforms.keys.Shards;

/** A (client, backend, port): what one TSV row counts connections for. */
public record BackendPort(IpAddress client, IpAddress backend, int port) {
  public ClientBackend pair() {
    return ClientBackend.of(client, backend);
  }

  // Hashed per row and, with -a, per counted connection: a record's generated equals and hashCode
  // go through a method-handle bootstrap that the JIT compiles late.

  @Override
  public boolean equals(Object o) {
    return o instanceof BackendPort k
        && port == k.port
        && client.equals(k.client)
        && backend.equals(k.backend);
  }

  @Override
  public int hashCode() {
    return (int) Shards.mix((31L * client.hashCode() + backend.hashCode()) ^ ((long) port << 48));
  }
}
