package dev.connbal.transforms.keys;

/**
 * A TCP 4-tuple without direction: both directions of a stream map to the same value, with the
 * lower endpoint (address as {@link IpAddress#compareTo} orders it, then port) first.
 */
public record FourTuple(IpAddress lowIp, int lowPort, IpAddress highIp, int highPort) {
  public static FourTuple of(IpAddress srcIp, int srcPort, IpAddress dstIp, int dstPort) {
    return isLow(srcIp, srcPort, dstIp, dstPort)
        ? new FourTuple(srcIp, srcPort, dstIp, dstPort)
        : new FourTuple(dstIp, dstPort, srcIp, srcPort);
  }

  /** True when endpoint (ip, port) sorts before (otherIp, otherPort). */
  public static boolean isLow(IpAddress ip, int port, IpAddress otherIp, int otherPort) {
    int byIp = ip.compareTo(otherIp);
    return byIp < 0 || (byIp == 0 && port <= otherPort);
  }
}
