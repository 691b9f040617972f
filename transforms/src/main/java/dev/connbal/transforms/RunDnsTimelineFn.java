package dev.connbal.transforms;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
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
      @Element KV<Integer, Iterable<DnsPartial>> partials, MultiOutputReceiver out)
      throws IOException, InterruptedException {
    // Each partial is sorted: merging them one event at a time keeps one decoded event and one
    // read buffer per partial in memory (and a few batches of merged events), however many events
    // the run has; the encoded partials wait in a spill file.
    RunReport decoding = RunReport.empty();
    DnsTimeline timeline = new DnsTimeline();
    try (SpilledPartials spilled =
        SpilledPartials.create(Path.of(System.getProperty("java.io.tmpdir")))) {
      for (DnsPartial partial : partials.getValue()) {
        decoding = decoding.plus(partial.report());
        spilled.add(partial);
      }
      try (MergedEvents events =
          MergedEvents.start(spilled.events(new DnsNameTable.Interner()))) {
        while (events.hasNext()) {
          timeline.accept(events.next());
        }
      }
    }
    List<BackendFacts> backends = timeline.backends();
    for (BackendFacts f : backends) {
      out.get(FACTS).output(KV.of(f.pair(), f));
    }
    out.get(TABLE).output(BackendTable.ofFacts(backends));
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
