package dev.connbal.transforms;

import dev.connbal.snoop.SnoopRecord;
import dev.connbal.transforms.decode.DecodeStats;
import dev.connbal.transforms.decode.FrameDecoder;
import dev.connbal.transforms.decode.FrameVisitor;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Pass 2, default mode: keeps the connection attempts (SYN without ACK/FIN/RST) from a client to
 * one of its DNS backends, each with the time of its first SYN in this bundle, keyed by shard.
 * Retransmissions inside a bundle are merged here already (the combiner lifting of a per-attempt
 * Min), so mostly one value per attempt reaches the shuffle.
 */
final class ExtractSynAttemptsFn extends DoFn<SnoopRecord, KV<Integer, KV<AttemptKey, Long>>> {
  /** Attempts held per bundle before they are flushed early, to bound memory. */
  static final int MAX_ATTEMPTS_PER_FLUSH = 100_000;

  private final PCollectionView<BackendTable> backendTable;
  private transient Map<AttemptKey, Long> firstSyn;
  private transient SynVisitor visitor;

  /** Pass 1 already counted every record's decode problems for the report; not read again. */
  private transient DecodeStats ignoredStats;

  ExtractSynAttemptsFn(PCollectionView<BackendTable> backendTable) {
    this.backendTable = backendTable;
  }

  @Setup
  public void setup() {
    visitor = new SynVisitor();
    ignoredStats = new DecodeStats();
  }

  @StartBundle
  public void startBundle() {
    firstSyn = new HashMap<>();
  }

  @ProcessElement
  public void process(ProcessContext c) {
    SnoopRecord record = c.element();
    visitor.table = c.sideInput(backendTable);
    visitor.timestampMicros = record.timestampMicros();
    FrameDecoder.decode(
        record.frame(), record.originalLength(), record.datalinkType(), visitor, ignoredStats);
    if (firstSyn.size() >= MAX_ATTEMPTS_PER_FLUSH) {
      firstSyn.forEach((attempt, t) -> c.output(KV.of(Shard.of(attempt), KV.of(attempt, t))));
      firstSyn.clear();
    }
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext c) {
    firstSyn.forEach(
        (attempt, t) ->
            c.output(
                KV.of(Shard.of(attempt), KV.of(attempt, t)),
                GlobalWindow.INSTANCE.maxTimestamp(),
                GlobalWindow.INSTANCE));
    firstSyn.clear();
  }

  private final class SynVisitor implements FrameVisitor {
    BackendTable table;
    long timestampMicros;

    @Override
    public void tcp(int srcIp, int srcPort, int dstIp, int dstPort, int flags, long seq) {
      if (TcpFlags.isOpeningSyn(flags) && table.contains(ClientBackend.of(srcIp, dstIp))) {
        firstSyn.merge(
            new AttemptKey(srcIp, srcPort, dstIp, dstPort, seq), timestampMicros, Math::min);
      }
    }

    @Override
    public void dns(
        int srcIp, int srcPort, int dstIp, int dstPort, byte[] frame, int offset, int length) {
      // DNS was handled by pass 1.
    }
  }
}
