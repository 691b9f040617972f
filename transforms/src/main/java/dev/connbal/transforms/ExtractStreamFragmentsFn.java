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
 * Pass 2, all-streams mode: compresses the bundle's TCP packets between DNS (client, backend)
 * pairs, in either direction, into one {@link StreamFragment} per 4-tuple, emitted when the bundle
 * finishes (or earlier when a bundle holds very many streams, to bound memory), keyed by shard.
 */
final class ExtractStreamFragmentsFn
    extends DoFn<SnoopRecord, KV<Integer, KV<FourTuple, StreamFragment>>> {
  /** Streams held per bundle before they are flushed early. */
  static final int MAX_STREAMS_PER_FLUSH = 50_000;

  private final PCollectionView<BackendTable> backendTable;
  private transient Map<FourTuple, StreamFragment.Builder> streams;
  private transient StreamVisitor visitor;

  /** Pass 1 already counted every record's decode problems for the report; not read again. */
  private transient DecodeStats ignoredStats;

  ExtractStreamFragmentsFn(PCollectionView<BackendTable> backendTable) {
    this.backendTable = backendTable;
  }

  @Setup
  public void setup() {
    visitor = new StreamVisitor();
    ignoredStats = new DecodeStats();
  }

  @StartBundle
  public void startBundle() {
    streams = new HashMap<>();
  }

  @ProcessElement
  public void process(ProcessContext c) {
    SnoopRecord record = c.element();
    visitor.table = c.sideInput(backendTable);
    visitor.record = record;
    FrameDecoder.decode(
        record.frame(), record.originalLength(), record.datalinkType(), visitor, ignoredStats);
    visitor.record = null;
    if (streams.size() >= MAX_STREAMS_PER_FLUSH) {
      streams.forEach((tuple, builder) -> c.output(keyed(tuple, builder)));
      streams.clear();
    }
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext c) {
    streams.forEach(
        (tuple, builder) ->
            c.output(
                keyed(tuple, builder),
                GlobalWindow.INSTANCE.maxTimestamp(),
                GlobalWindow.INSTANCE));
    streams.clear();
  }

  private static KV<Integer, KV<FourTuple, StreamFragment>> keyed(
      FourTuple tuple, StreamFragment.Builder builder) {
    return KV.of(Shard.of(tuple), KV.of(tuple, builder.build()));
  }

  private final class StreamVisitor implements FrameVisitor {
    BackendTable table;
    SnoopRecord record;

    @Override
    public void tcp(int srcIp, int srcPort, int dstIp, int dstPort, int flags, long seq) {
      Long srcClient = table.firstSeen(ClientBackend.of(srcIp, dstIp));
      Long dstClient = table.firstSeen(ClientBackend.of(dstIp, srcIp));
      if (srcClient == null && dstClient == null) {
        return; // not between a client and one of its DNS backends
      }
      FourTuple tuple = FourTuple.of(srcIp, srcPort, dstIp, dstPort);
      boolean srcIsLow = FourTuple.isLow(srcIp, srcPort, dstIp, dstPort);
      StreamFragment.Builder builder =
          streams.computeIfAbsent(
              tuple,
              t ->
                  srcIsLow
                      ? new StreamFragment.Builder(srcClient, dstClient)
                      : new StreamFragment.Builder(dstClient, srcClient));
      builder.add(
          new OrderKey(record.timestampMicros(), record.file(), record.recordOffset()),
          srcIsLow,
          flags,
          seq);
    }

    @Override
    public void dns(
        int srcIp, int srcPort, int dstIp, int dstPort, byte[] frame, int offset, int length) {
      // DNS was handled by pass 1.
    }
  }
}
