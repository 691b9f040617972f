package dev.connbal.transforms.events;

import java.io.Serializable;
import java.util.List;

/**
 * A DNS query or response of pass 1, reduced to what SEMANTICS.md's matching and backend rules
 * need, with its place on the timeline.
 *
 * @param answerCount the number of records in the response's answer section (all types), which the
 *     multi-backend and CNAME rules look at; 0 for queries
 * @param records the usable records of a response in section order; empty for queries
 */
public record DnsEvent(
    OrderKey order,
    boolean isResponse,
    QueryKey query,
    int answerCount,
    List<DnsEventRecord> records)
    implements Serializable {
  public DnsEvent {
    if (order == null || query == null) {
      throw new NullPointerException("order and query are required");
    }
    records = List.copyOf(records);
    if (!isResponse && (answerCount != 0 || !records.isEmpty())) {
      throw new IllegalArgumentException("a query carries no answers");
    }
  }

  public static DnsEvent query(OrderKey order, QueryKey query) {
    return new DnsEvent(order, false, query, 0, List.of());
  }

  public static DnsEvent response(
      OrderKey order, QueryKey query, int answerCount, List<DnsEventRecord> records) {
    return new DnsEvent(order, true, query, answerCount, records);
  }
}
