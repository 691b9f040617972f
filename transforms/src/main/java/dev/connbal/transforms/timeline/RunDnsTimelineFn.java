package dev.connbal.transforms.timeline;

import dev.connbal.transforms.MergedPieces;
import dev.connbal.transforms.events.DnsNameTable;
import dev.connbal.transforms.events.DnsPartial;
import dev.connbal.transforms.keys.ClientBackend;
import dev.connbal.transforms.report.ConnBalMetrics;
import dev.connbal.transforms.report.RunReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
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
 * with one, the timeline learns it as it goes. That knowledge, and the backend table, travel in
 * pieces ({@link CompleteSrvKnowledge}, {@link MergedPieces}).
 */
public final class RunDnsTimelineFn
    extends DoFn<KV<Integer, Iterable<DnsPartial>>, KV<ClientBackend, BackendFacts>> {
  public static final TupleTag<KV<ClientBackend, BackendFacts>> FACTS = new TupleTag<>() {};
  public static final TupleTag<RunReport> REPORT = new TupleTag<>() {};
  public static final TupleTag<BackendTable> TABLE = new TupleTag<>() {};

  /** Pairs in a piece of {@link #TABLE}: under a MB encoded, small beside a runner's buffers. */
  static final int PAIRS_PER_PIECE = 20_000;

  /** The run's SRV knowledge in pieces, or null when this is the one timeline of every client. */
  private final @Nullable PCollectionView<Iterable<SrvKnowledge>> srvKnowledge;

  private transient @Nullable MergedPieces<SrvKnowledge, SrvKnowledge> knowledge;

  /** Whether {@link #TABLE} is wanted (it is read by the all-streams mode only), in pieces. */
  private final boolean outputsTable;

  public RunDnsTimelineFn(
      @Nullable PCollectionView<Iterable<SrvKnowledge>> srvKnowledge, boolean outputsTable) {
    this.srvKnowledge = srvKnowledge;
    this.outputsTable = outputsTable;
  }

  @ProcessElement
  public void process(ProcessContext c, MultiOutputReceiver out)
      throws IOException, InterruptedException {
    KV<Integer, Iterable<DnsPartial>> partials = c.element();
    // Each partial is sorted: merging them one event at a time keeps one decoded event and one
    // read buffer per partial in memory (and a few batches of merged events), however many events
    // the run has; the encoded partials wait in a spill file.
    RunReport decoding = RunReport.empty();
    DnsTimeline timeline = srvKnowledge == null ? new DnsTimeline() : new DnsTimeline(knowledge(c));
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
      BackendTable.piecesOfFacts(backends, PAIRS_PER_PIECE).forEach(out.get(TABLE)::output);
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

  private SrvKnowledge knowledge(ProcessContext c) {
    if (knowledge == null) {
      knowledge = new MergedPieces<>(SrvKnowledge::mergeAll);
    }
    return knowledge.of(c.sideInput(srvKnowledge));
  }
}
