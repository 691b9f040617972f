package dev.connbal.transforms.timeline;

import dev.connbal.transforms.events.DnsNameTable;
import dev.connbal.transforms.events.DnsPartial;
import dev.connbal.transforms.keys.ClientBackend;
import dev.connbal.transforms.report.ConnBalMetrics;
import dev.connbal.transforms.report.RunReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Runs the {@link DnsTimeline} over the DNS events of one shard of clients (every range's {@link
 * DnsPartial} of that shard, grouped under its key), sorted into timeline order, and emits the
 * facts of every backend keyed by (client, backend), the shard's backend table (when asked for),
 * and its part of the {@link RunReport}: the ranges' decoding counts plus the responses without a
 * matching query. With more than one shard the SRV knowledge is the whole run's, learnt beforehand;
 * with one, the timeline learns it as it goes. That knowledge comes as pieces ({@link LearnSrvFn}),
 * merged once per instance and window: no runner has to move it as one record.
 */
public final class RunDnsTimelineFn
    extends DoFn<KV<Integer, Iterable<DnsPartial>>, KV<ClientBackend, BackendFacts>> {
  public static final TupleTag<KV<ClientBackend, BackendFacts>> FACTS = new TupleTag<>() {};
  public static final TupleTag<RunReport> REPORT = new TupleTag<>() {};
  public static final TupleTag<BackendTable> TABLE = new TupleTag<>() {};

  /** The run's SRV knowledge in pieces, or null when this is the one timeline of every client. */
  private final @Nullable PCollectionView<Iterable<SrvKnowledge>> srvKnowledge;

  /** The merge of {@link #srvKnowledge}'s pieces in {@link #mergedFor}. */
  private transient @Nullable SrvKnowledge merged;

  private transient @Nullable BoundedWindow mergedFor;

  /** Whether {@link #TABLE} is wanted (it is read by the all-streams mode only). */
  private final boolean outputsTable;

  public RunDnsTimelineFn(
      @Nullable PCollectionView<Iterable<SrvKnowledge>> srvKnowledge, boolean outputsTable) {
    this.srvKnowledge = srvKnowledge;
    this.outputsTable = outputsTable;
  }

  @ProcessElement
  public void process(ProcessContext c, BoundedWindow window, MultiOutputReceiver out)
      throws IOException, InterruptedException {
    KV<Integer, Iterable<DnsPartial>> partials = c.element();
    // Each partial is sorted: merging them one event at a time keeps one decoded event and one
    // read buffer per partial in memory (and a few batches of merged events), however many events
    // the run has; the encoded partials wait in a spill file.
    RunReport decoding = RunReport.empty();
    DnsTimeline timeline =
        srvKnowledge == null ? new DnsTimeline() : new DnsTimeline(knowledge(c, window));
    try (SpilledPartials spilled =
        SpilledPartials.create(Path.of(System.getProperty("java.io.tmpdir")))) {
      for (DnsPartial partial : partials.getValue()) {
        decoding = decoding.plus(partial.report());
        spilled.add(partial);
      }
      try (MergedEvents events = MergedEvents.start(spilled.events(new DnsNameTable.Interner()))) {
        while (events.hasNext()) {
          timeline.accept(events.next());
        }
      }
    }
    List<BackendFacts> backends = timeline.backends();
    for (BackendFacts f : backends) {
      out.get(FACTS).output(KV.of(f.pair(), f));
    }
    if (outputsTable) {
      out.get(TABLE).output(BackendTable.ofFacts(backends));
    }
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

  private SrvKnowledge knowledge(ProcessContext c, BoundedWindow window) {
    if (merged == null || !window.equals(mergedFor)) {
      merged = SrvKnowledge.mergeAll(c.sideInput(srvKnowledge));
      mergedFor = window;
    }
    return merged;
  }
}
