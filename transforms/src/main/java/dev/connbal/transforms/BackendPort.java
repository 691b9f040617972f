package dev.connbal.transforms;

/** A (client, backend, port): what one TSV row counts connections for. */
record BackendPort(int client, int backend, int port) {
  long pair() {
    return ClientBackend.of(client, backend);
  }
}
