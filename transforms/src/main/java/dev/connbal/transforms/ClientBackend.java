package dev.connbal.transforms;

/**
 * A (client IP, backend IP) pair packed into one {@code long}: the key of the backend table, of the
 * DNS facts and of the final join. A long keeps the side-input table and the shuffle keys small and
 * gives a deterministic coder for free.
 */
final class ClientBackend {
  private ClientBackend() {}

  static long of(int clientIp, int backendIp) {
    return ((long) clientIp << 32) | (backendIp & 0xFFFFFFFFL);
  }

  static int client(long pair) {
    return (int) (pair >>> 32);
  }

  static int backend(long pair) {
    return (int) pair;
  }
}
