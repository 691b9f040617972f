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

/**
 * The DNS events of a range collected since its last batch was output, written into a partial per
 * client shard as they are decoded ({@link DnsPartialEncoder}), those whose query name a response
 * with SRV answers of the batch carries ({@link SrvLearner#carriesSrv}) apart: what {@link
 * DnsAndSynParser} outputs. Beam-free.
 *
 * <p>Which events are of SRV names is known only at the batch's end: a name's query usually comes
 * before the response that shows it to be one. So an event goes to its shard's SRV partial when its
 * name is known to be an SRV name when it comes, and to the shard's other partial otherwise; at the
 * end, a shard's other partial that holds events of names found to be SRV names since (a few per
 * batch: the first lookup of each SRV name) is decoded and its events of those names moved to the
 * shard's SRV partial, both made again by {@link DnsPartial#of}.
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

  private final Shards shards;

  /** By shard, made when the shard has its first event. */
  private final DnsPartialEncoder[] others;

  private final DnsPartialEncoder[] srvs;

  /** The query names of the batch's responses with SRV answers. */
  private final Set<DnsName> srvNames = new HashSet<>();

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

  /**
   * Adds the event {@code m} is ({@link RangeEvents#placeEvent}), of the client and server given by
   * their addresses' halves ({@link IpAddress}), at {@code (timeMicros, file, recordOffset)}; the
   * events of a batch are all of one file.
   */
  public void add(
      DnsMessage m,
      long clientHigh,
      long clientLow,
      int clientPort,
      long serverHigh,
      long serverLow,
      long timeMicros,
      String file,
      long recordOffset) {
    counter.reset();
    if (m.isResponse()) {
      RangeEvents.usableRecords(m, counter);
    }
    DnsName name = m.questionName();
    // SrvLearner.carriesSrv: a response with an SRV record among its usable ones.
    if (counter.srvRecords > 0) {
      srvNames.add(name);
    }
    boolean srv = !srvNames.isEmpty() && srvNames.contains(name);
    int shard = shards.ofClient(clientHigh, clientLow);
    DnsPartialEncoder[] encoders = srv ? srvs : others;
    if (encoders[shard] == null) {
      encoders[shard] = new DnsPartialEncoder();
    }
    encoders[shard].add(
        m,
        clientHigh,
        clientLow,
        clientPort,
        serverHigh,
        serverLow,
        timeMicros,
        file,
        recordOffset,
        counter.records);
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
    Map<Integer, List<DnsEvent>> moved = movedToSrv();
    unsentReport = report;
    partialsOutput = 0;
    outputOthers(moved, out);
    outputSrvs(moved, out);
    if (partialsOutput == 0) {
      out.partial(0, DnsPartial.of(List.of(), report));
    }
    if (!srvNames.isEmpty()) {
      out.srvNames(List.copyOf(srvNames));
      srvNames.clear();
    }
    reset(others);
    reset(srvs);
    eventCount = 0;
  }

  /** Outputs the shards' partials of other names; moves events of SRV names to {@code moved}. */
  private void outputOthers(Map<Integer, List<DnsEvent>> moved, Output out) {
    for (int shard = 0; shard < others.length; shard++) {
      DnsPartialEncoder e = others[shard];
      if (e == null || e.isEmpty()) {
        continue;
      }
      List<DnsEvent> toSrv = moved.get(shard);
      if (toSrv == null) {
        out.partial(shard, e.toPartial(takeReport(), scratch));
        continue;
      }
      List<DnsEvent> kept = new ArrayList<>();
      for (DnsEvent event : e.events(scratch)) {
        (srvNames.contains(event.query().name()) ? toSrv : kept).add(event);
      }
      if (!kept.isEmpty()) {
        out.partial(shard, DnsPartial.of(kept, takeReport()));
      }
    }
  }

  /** Outputs the shards' partials of SRV names, with the events {@code moved} to them. */
  private void outputSrvs(Map<Integer, List<DnsEvent>> moved, Output out) {
    for (int shard = 0; shard < srvs.length; shard++) {
      DnsPartialEncoder e = srvs[shard];
      boolean written = e != null && !e.isEmpty();
      List<DnsEvent> events = moved.get(shard);
      if (events == null) {
        if (written) {
          out.srvPartial(shard, e.toPartial(takeReport(), scratch));
        }
        continue;
      }
      if (written) {
        // No two events of a range share an order, so the sort puts these in one order only.
        events.addAll(e.events(scratch));
      }
      out.srvPartial(shard, DnsPartial.of(events, takeReport()));
    }
  }

  /** The report for the next partial output: the batch's for the first, empty after. */
  private RunReport takeReport() {
    RunReport report = unsentReport;
    unsentReport = RunReport.empty();
    partialsOutput++;
    return report;
  }

  /**
   * An empty list to move events of SRV names to, by shard, for the shards whose other partial
   * holds some.
   */
  private Map<Integer, List<DnsEvent>> movedToSrv() {
    Map<Integer, List<DnsEvent>> moved = new HashMap<>();
    if (!srvNames.isEmpty()) {
      for (int shard = 0; shard < others.length; shard++) {
        if (others[shard] != null && others[shard].hasQueryNameIn(srvNames)) {
          moved.put(shard, new ArrayList<>());
        }
      }
    }
    return moved;
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
