package dev.connbal.transforms;

/**
 * One TCP connection attempt: retransmitted SYNs share the 4-tuple and the initial sequence number,
 * so they share this key and count once.
 */
record AttemptKey(int client, int clientPort, int backend, int port, long isn) {
  BackendPort backendPort() {
    return new BackendPort(client, backend, port);
  }
}
