package dev.connbal.transforms.events;

import dev.connbal.transforms.decode.DnsMessage;
import dev.connbal.transforms.decode.DnsName;
import dev.connbal.transforms.keys.IpAddress;
import dev.connbal.transforms.keys.Shards;
import dev.connbal.transforms.report.RunReport;
import dev.connbal.transforms.timeline.SrvLearner;
import dev.connbal.transforms.wire.BytesOutput;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The DNS events of a range collected since its last batch was output, written into a partial per
 * client shard as they are decoded ({@link DnsPartialEncoder}), those whose query name a response
 * with SRV answers of the batch carries ({@link SrvLearner#carriesSrv}) apart: what {@link
 * DnsAndSynParser} outputs. Beam-free.
 *
 * <p>Which events are of SRV names is known only at the batch's end: a name's query usually comes
 * before the response that shows it to be one. So an event goes to its shard's SRV partial when its
 * name is an SRV name of the batch so far or of an earlier batch of the range (an SRV name is
 * looked up again and again), and to the shard's other partial otherwise. At the end, a shard whose
 * partials hold an event on the wrong side (a name's first SRV answer in the range, or an SRV name
 * of earlier batches that this batch never answered with SRV records) has its events decoded, split
 * anew and both partials made again by {@link DnsPartial#of}: a few shards in a range.
 */
public final class DnsPartialBatch {
  /** Receives a batch's partials and SRV names, in the order {@link #output} gives them. */
  public interface Output {
    /** The partial of a shard's events of other names than SRV names. */
    void partial(int shard, DnsPartial partial);

    /** The partial of a shard's events of SRV names. */
    void srvPartial(int shard, DnsPartial partial);

    /** The SRV names of the batch: the query names of its responses with SRV answers. */
    void srvNames(List<DnsName> names);
  }

  /**
   * Earlier batches of the range need not remember more SRV names than this to guess nearly every
   * event's side: a capture has a few SRV services. A guess decides no output, only its cost.
   */
  static final int MAX_EARLIER_SRV_NAMES = 1024;

  private final Shards shards;

  /** By shard, made when the shard has its first event. */
  private final DnsPartialEncoder[] others;

  private final DnsPartialEncoder[] srvs;

  /** The query names of the batch's responses with SRV answers. */
  private final Set<DnsName> srvNames = new HashSet<>();

  /** The SRV names of the range's earlier batches, as many as {@link #MAX_EARLIER_SRV_NAMES}. */
  private final Set<DnsName> earlierSrvNames = new HashSet<>();

  private final RecordCounter counter = new RecordCounter();
  private final BytesOutput scratch = new BytesOutput(1024);
  private int eventCount;

  /** While {@link #output} runs: the report no partial has carried yet, and the partials output. */
  private RunReport unsentReport = RunReport.empty();

  private int partialsOutput;

  public DnsPartialBatch(Shards shards) {
    this.shards = shards;
    this.others = new DnsPartialEncoder[shards.count()];
    this.srvs = new DnsPartialEncoder[shards.count()];
  }

  /** Adds {@code e}; the events of a batch are all of one file. */
  public void add(PlacedDnsEvent e) {
    DnsMessage m = e.message();
    // The wire form gives the record count before the records, so a response's usable records are
    // walked twice: counted here, written by the encoder (a few records; the writing is the cost).
    counter.reset();
    if (m.isResponse()) {
      RangeEvents.usableRecords(m, counter);
    }
    DnsName name = m.questionName();
    // SrvLearner.carriesSrv on the message: a response with an SRV record among its usable ones
    // (the two are held equal by DnsPartialBatchTest's property).
    if (counter.srvRecords > 0) {
      srvNames.add(name);
    }
    boolean srv = isSrvName(srvNames, name) || isSrvName(earlierSrvNames, name);
    int shard = shards.ofClient(e.clientHigh(), e.clientLow());
    DnsPartialEncoder[] encoders = srv ? srvs : others;
    if (encoders[shard] == null) {
      encoders[shard] = new DnsPartialEncoder();
    }
    encoders[shard].add(e, counter.records);
    eventCount++;
  }

  /** The events added since the last {@link #output}. */
  public int eventCount() {
    return eventCount;
  }

  /**
   * Outputs the events added so far, and starts the next batch: the partials of other names by
   * shard, then those of SRV names by shard, the first of all with {@code report} (a partial of no
   * events in shard 0 when there are no events), then the SRV names if there are any.
   */
  public void output(RunReport report, Output out) {
    Map<Integer, Resorted> resorted = resorted();
    unsentReport = report;
    partialsOutput = 0;
    for (int shard = 0; shard < others.length; shard++) {
      Resorted r = resorted.get(shard);
      output(others[shard], r == null ? null : r.others, shard, out::partial);
    }
    for (int shard = 0; shard < srvs.length; shard++) {
      Resorted r = resorted.get(shard);
      output(srvs[shard], r == null ? null : r.srvs, shard, out::srvPartial);
    }
    if (partialsOutput == 0) {
      out.partial(0, DnsPartial.of(List.of(), report));
    }
    if (!srvNames.isEmpty()) {
      out.srvNames(List.copyOf(srvNames));
      for (DnsName name : srvNames) {
        if (earlierSrvNames.size() < MAX_EARLIER_SRV_NAMES) {
          earlierSrvNames.add(name);
        }
      }
      srvNames.clear();
    }
    reset(others);
    reset(srvs);
    eventCount = 0;
  }

  /**
   * Outputs the partial of the events {@code e} wrote, or when the shard was sorted anew ({@code
   * resorted} not null) of those events, if there are any.
   */
  private void output(
      @Nullable DnsPartialEncoder e,
      @Nullable List<DnsEvent> resorted,
      int shard,
      BiConsumer<Integer, DnsPartial> out) {
    if (resorted != null) {
      if (!resorted.isEmpty()) {
        out.accept(shard, DnsPartial.of(resorted, takeReport()));
      }
    } else if (e != null && !e.isEmpty()) {
      out.accept(shard, e.toPartial(takeReport(), scratch));
    }
  }

  /** A shard's events split anew between its two partials. */
  private record Resorted(List<DnsEvent> others, List<DnsEvent> srvs) {}

  /** The shards whose partials hold an event on the wrong side, their events split anew. */
  private Map<Integer, Resorted> resorted() {
    Map<Integer, Resorted> resorted = new HashMap<>();
    for (int shard = 0; shard < others.length; shard++) {
      DnsPartialEncoder other = others[shard];
      DnsPartialEncoder srv = srvs[shard];
      boolean wrongSide =
          (other != null && !srvNames.isEmpty() && other.hasQueryNameIn(srvNames))
              || (srv != null && !srv.isEmpty() && srv.hasQueryNameNotIn(srvNames));
      if (!wrongSide) {
        continue;
      }
      List<DnsEvent> events = new ArrayList<>();
      for (DnsPartialEncoder e : new DnsPartialEncoder[] {other, srv}) {
        if (e != null && !e.isEmpty()) {
          // No two events of a range share an order, so DnsPartial.of sorts them in one way only.
          events.addAll(e.events(scratch));
        }
      }
      Resorted r = new Resorted(new ArrayList<>(), new ArrayList<>());
      for (DnsEvent event : events) {
        (srvNames.contains(event.query().name()) ? r.srvs : r.others).add(event);
      }
      resorted.put(shard, r);
    }
    return resorted;
  }

  /** The report for the next partial output: the batch's for the first, empty after. */
  private RunReport takeReport() {
    RunReport report = unsentReport;
    unsentReport = RunReport.empty();
    partialsOutput++;
    return report;
  }

  private static boolean isSrvName(Set<DnsName> names, DnsName name) {
    return !names.isEmpty() && names.contains(name);
  }

  private static void reset(DnsPartialEncoder[] encoders) {
    for (DnsPartialEncoder e : encoders) {
      if (e != null) {
        e.reset();
      }
    }
  }

  /** Counts a response's usable records, and its SRV records among them. */
  private static final class RecordCounter implements DnsEventRecord.Visitor {
    int records;
    int srvRecords;

    void reset() {
      records = 0;
      srvRecords = 0;
    }

    @Override
    public void address(DnsEventRecord.Section section, DnsName owner, IpAddress address) {
      records++;
    }

    @Override
    public void srv(DnsName service, DnsName target, int port, int priority, int weight) {
      records++;
      srvRecords++;
    }

    @Override
    public void cname(DnsName alias, DnsName target) {
      records++;
    }
  }
}
