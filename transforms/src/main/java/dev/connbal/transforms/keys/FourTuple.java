package dev.connbal.transforms.keys;

/**
 * A TCP 4-tuple without direction: both directions of a stream map to the same value, with the
 * lower endpoint (unsigned IP, then port) first.
 */
public record FourTuple(int lowIp, int lowPort, int highIp, int highPort) {
  public static FourTuple of(int srcIp, int srcPort, int dstIp, int dstPort) {
    return isLow(srcIp, srcPort, dstIp, dstPort)
        ? new FourTuple(srcIp, srcPort, dstIp, dstPort)
        : new FourTuple(dstIp, dstPort, srcIp, srcPort);
  }

  /** True when endpoint (ip, port) sorts before (otherIp, otherPort). */
  public static boolean isLow(int ip, int port, int otherIp, int otherPort) {
    int byIp = Integer.compareUnsigned(ip, otherIp);
    return byIp < 0 || (byIp == 0 && port <= otherPort);
  }
}
