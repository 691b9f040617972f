package dev.connbal.transforms.timeline;

/**
 * The RFC 2782 PRIORITY and WEIGHT that DNS gave an SRV backend on one port ({@link
 * BackendFacts#srvPortPriorityWeight}): clients use only the targets of the lowest priority, and
 * spread over those in proportion to their weights.
 *
 * @param priority 0 to 65535, lower preferred
 * @param weight 0 to 65535, the relative share among targets of the same priority
 */
public record SrvPriorityWeight(int priority, int weight) implements java.io.Serializable {
  public SrvPriorityWeight {
    if ((priority & ~0xffff) != 0 || (weight & ~0xffff) != 0) {
      throw new IllegalArgumentException(
          "priority " + priority + " and weight " + weight + " are 16-bit fields");
    }
  }
}
