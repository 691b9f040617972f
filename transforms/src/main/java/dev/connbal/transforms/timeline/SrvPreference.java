package dev.connbal.transforms.timeline;

import java.io.Serializable;

/**
 * One SRV answer's PRIORITY and WEIGHT for a target on a port, with the record's place on the
 * timeline: what the rule of {@link BackendFacts#srvPortPriorityWeight} compares. Of the records
 * naming a target on a port, the one that decides is the most recent of the lowest priority.
 *
 * @param at the SRV record's place: its response's order key and its index in that response
 */
public record SrvPreference(SrvKnowledge.Position at, int priority, int weight)
    implements Serializable {
  public SrvPreference {
    if (at == null) {
      throw new NullPointerException("at");
    }
    if ((priority & ~0xffff) != 0 || (weight & ~0xffff) != 0) {
      throw new IllegalArgumentException(
          "priority " + priority + " and weight " + weight + " are 16-bit fields");
    }
  }

  /**
   * Whether this record decides rather than {@code other} when both are known: a lower priority, or
   * the same priority and a later place. Two records at one place (two DNS messages completed by
   * one TCP segment share an order key) are told apart by the larger weight, so that the choice is
   * a total order and does not depend on the order in which they were seen: the split timeline
   * merges its shards' knowledge in any order.
   */
  public boolean supersedes(SrvPreference other) {
    if (priority != other.priority) {
      return priority < other.priority;
    }
    int byPlace = at.compareTo(other.at);
    return byPlace != 0 ? byPlace > 0 : weight > other.weight;
  }

  /** The priority and weight alone, as {@link BackendFacts} carries them. */
  public SrvPriorityWeight priorityWeight() {
    return new SrvPriorityWeight(priority, weight);
  }
}
