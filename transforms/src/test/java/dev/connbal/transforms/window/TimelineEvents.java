package dev.connbal.transforms.window;

import dev.connbal.transforms.decode.DnsName;
import dev.connbal.transforms.events.DnsEvent;
import dev.connbal.transforms.events.DnsEventRecord;
import dev.connbal.transforms.events.OrderKey;
import dev.connbal.transforms.events.QueryKey;
import dev.connbal.transforms.events.SynBatch;
import dev.connbal.transforms.keys.IpAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The events a shard timeline takes, made for tests: DNS messages between a client's port 40000 and
 * one DNS server, A lookups (a query and its answer 1 ms later) and attempts, in one capture whose
 * records follow each other in the order they are made.
 */
final class TimelineEvents {
  static final IpAddress DNS = ip(10, 0, 0, 53);

  private long offset;

  DnsEvent query(long t, IpAddress client, int id, String name) {
    return DnsEvent.query(at(t), new QueryKey(client, 40000, DNS, id, name(name)));
  }

  DnsEvent response(
      long t,
      IpAddress client,
      int id,
      String name,
      int answerCount,
      List<DnsEventRecord> records) {
    return DnsEvent.response(
        at(t), new QueryKey(client, 40000, DNS, id, name(name)), answerCount, records);
  }

  /** The query at {@code t} and its response at {@code t + 1000} listing {@code addresses}. */
  List<TimedEvent> lookup(long t, IpAddress client, int id, String name, IpAddress... addresses) {
    List<DnsEventRecord> answers = new ArrayList<>();
    for (IpAddress address : addresses) {
      answers.add(a(name, address));
    }
    return List.of(
        TimedEvent.dns(query(t, client, id, name), false),
        TimedEvent.dns(response(t + 1000, client, id, name, answers.size(), answers), false));
  }

  /** An attempt at {@code t} with initial sequence number {@code isn}, from port 40000 + isn. */
  static TimedEvent syn(long t, IpAddress client, IpAddress server, int port, long isn) {
    return TimedEvent.syn(t, client, server, port, SynBatch.attempt(40000 + (int) isn, isn));
  }

  static DnsEventRecord a(String owner, IpAddress address) {
    return DnsEventRecord.address(DnsEventRecord.Section.ANSWER, name(owner), address);
  }

  static DnsName name(String s) {
    return DnsName.fromPresentation(s);
  }

  static IpAddress ip(int a, int b, int c, int d) {
    return IpAddress.ofV4((a << 24) | (b << 16) | (c << 8) | d);
  }

  private OrderKey at(long micros) {
    return new OrderKey(micros, "capture.snoop", offset += 100);
  }
}
