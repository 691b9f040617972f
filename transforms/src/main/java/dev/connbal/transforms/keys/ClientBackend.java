package dev.connbal.transforms.keys;

/**
 * A (client IP, backend IP) pair packed into one {@code long}: the key of the backend table, of the
 * DNS facts and of the final join. A long keeps the side-input table and the shuffle keys small and
 * gives a deterministic coder for free.
 */
public final class ClientBackend {
  private ClientBackend() {}

  public static long of(int clientIp, int backendIp) {
    return ((long) clientIp << 32) | (backendIp & 0xFFFFFFFFL);
  }

  public static int client(long pair) {
    return (int) (pair >>> 32);
  }

  public static int backend(long pair) {
    return (int) pair;
  }
}
