package dev.connbal.transforms;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Runs the {@link DnsTimeline} over all DNS events of the run (grouped under one key), sorted into
 * timeline order, and emits the facts of every backend keyed by (client, backend), plus the
 * timeline's partial {@link RunReport} (responses without a matching query).
 */
final class RunDnsTimelineFn extends DoFn<KV<Integer, Iterable<DnsEvent>>, KV<Long, BackendFacts>> {
  static final TupleTag<KV<Long, BackendFacts>> FACTS = new TupleTag<>() {};
  static final TupleTag<RunReport> REPORT = new TupleTag<>() {};
  static final TupleTag<BackendTable> TABLE = new TupleTag<>() {};

  @ProcessElement
  public void process(@Element KV<Integer, Iterable<DnsEvent>> events, MultiOutputReceiver out) {
    List<DnsEvent> sorted = new ArrayList<>();
    events.getValue().forEach(sorted::add);
    sorted.sort(Comparator.comparing(DnsEvent::order));
    DnsTimeline timeline = new DnsTimeline();
    sorted.forEach(timeline::accept);
    List<BackendFacts> backends = timeline.backends();
    Map<Long, Long> firstSeenByPair = new HashMap<>();
    for (BackendFacts f : backends) {
      out.get(FACTS).output(KV.of(f.pair(), f));
      firstSeenByPair.put(f.pair(), f.firstSeenMicros());
    }
    out.get(TABLE).output(BackendTable.of(firstSeenByPair));
    out.get(REPORT)
        .output(
            RunReport.builder().setResponsesWithoutQuery(timeline.unmatchedResponses()).build());
    ConnBalMetrics.RESPONSES_MATCHED.inc(timeline.matchedResponses());
    ConnBalMetrics.RESPONSES_WITHOUT_QUERY.inc(timeline.unmatchedResponses());
    ConnBalMetrics.BACKENDS.inc(backends.size());
  }
}
