package dev.connbal.bench;

/** A host's source ports for new connections and queries: the Linux ephemeral range, cycling. */
final class EphemeralPorts {
  private static final int FIRST = 32768;
  private static final int LAST = 60999;

  /** How many ports the range holds. */
  static final int COUNT = LAST - FIRST + 1;

  private int next;

  /** Starts at {@code FIRST + offset}, {@code offset} in [0, {@link #COUNT}). */
  EphemeralPorts(int offset) {
    this.next = FIRST + offset;
  }

  int next() {
    int port = next;
    next = port == LAST ? FIRST : port + 1;
    return port;
  }
}
