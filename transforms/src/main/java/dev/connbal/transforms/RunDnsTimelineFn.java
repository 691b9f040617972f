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
 * Runs the {@link DnsTimeline} over all DNS events of the run (every range's {@link DnsPartial},
 * grouped under one key), sorted into timeline order, and emits the facts of every backend keyed
 * by (client, backend), the backend table, and pass 1's part of the {@link RunReport}: the ranges'
 * decoding counts plus the timeline's responses without a matching query.
 */
final class RunDnsTimelineFn
    extends DoFn<KV<Integer, Iterable<DnsPartial>>, KV<Long, BackendFacts>> {
  static final TupleTag<KV<Long, BackendFacts>> FACTS = new TupleTag<>() {};
  static final TupleTag<RunReport> REPORT = new TupleTag<>() {};
  static final TupleTag<BackendTable> TABLE = new TupleTag<>() {};

  @ProcessElement
  public void process(
      @Element KV<Integer, Iterable<DnsPartial>> partials, MultiOutputReceiver out) {
    List<DnsEvent> sorted = new ArrayList<>();
    RunReport decoding = RunReport.empty();
    for (DnsPartial partial : partials.getValue()) {
      sorted.addAll(partial.events());
      decoding = decoding.plus(partial.report());
    }
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
            decoding.plus(
                RunReport.builder()
                    .setResponsesWithoutQuery(timeline.unmatchedResponses())
                    .build()));
    ConnBalMetrics.RESPONSES_MATCHED.inc(timeline.matchedResponses());
    ConnBalMetrics.RESPONSES_WITHOUT_QUERY.inc(timeline.unmatchedResponses());
    ConnBalMetrics.BACKENDS.inc(backends.size());
  }
}
