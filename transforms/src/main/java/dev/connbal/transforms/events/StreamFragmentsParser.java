package dev.connbal.transforms.events;

import dev.connbal.snoop.SnoopRecordView;
import dev.connbal.transforms.decode.DecodeStats;
import dev.connbal.transforms.decode.FrameDecoder;
import dev.connbal.transforms.decode.FrameVisitor;
import dev.connbal.transforms.keys.FourTuple;
import dev.connbal.transforms.keys.IpAddress;
import dev.connbal.transforms.keys.Shards;
import dev.connbal.transforms.timeline.BackendTable;
import dev.connbal.transforms.wire.FourTupleCoder;
import dev.connbal.transforms.wire.StreamFragmentCoder;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Pass 2, all-streams mode: compresses a range's TCP packets between DNS (client, backend) pairs,
 * in either direction, into one {@link StreamFragment} per 4-tuple, output when the range is read
 * (or earlier when it holds very many streams, to bound memory), keyed by shard.
 */
public final class StreamFragmentsParser
    extends TcpPassParser<KV<Integer, KV<FourTuple, StreamFragment>>> {
  private static final long serialVersionUID = 1L;

  /** Streams held per range before they are output early. */
  static final int MAX_STREAMS_PER_FLUSH = 50_000;

  public StreamFragmentsParser(
      PCollectionView<Iterable<BackendTable>> backendTable, Shards shards) {
    super(backendTable, shards);
  }

  @Override
  public Coder<KV<Integer, KV<FourTuple, StreamFragment>>> getOutputCoder() {
    return KvCoder.of(VarIntCoder.of(), KvCoder.of(FourTupleCoder.of(), StreamFragmentCoder.of()));
  }

  @Override
  RangeParser startRange(
      BackendTable table, Consumer<KV<Integer, KV<FourTuple, StreamFragment>>> output) {
    return new StreamVisitor(table, shards, output);
  }

  private static final class StreamVisitor implements FrameVisitor, RangeParser {
    private final BackendTable table;
    private final Shards shards;
    private final Consumer<KV<Integer, KV<FourTuple, StreamFragment>>> output;
    private final Map<FourTuple, StreamFragment.Builder> streams = new HashMap<>();

    /** Pass 1 already counted every record's decode problems for the report; not read again. */
    private final DecodeStats ignoredStats = new DecodeStats();

    private SnoopRecordView record;

    StreamVisitor(
        BackendTable table,
        Shards shards,
        Consumer<KV<Integer, KV<FourTuple, StreamFragment>>> output) {
      this.table = table;
      this.shards = shards;
      this.output = output;
    }

    @Override
    public void record(SnoopRecordView r) {
      record = r;
      FrameDecoder.decode(r, this, ignoredStats);
      record = null;
      if (streams.size() >= MAX_STREAMS_PER_FLUSH) {
        flush();
      }
    }

    @Override
    public void finish() {
      flush();
    }

    private void flush() {
      streams.forEach(
          (tuple, builder) ->
              output.accept(KV.of(shards.of(tuple), KV.of(tuple, builder.build()))));
      streams.clear();
    }

    @Override
    public void tcp(
        long srcHigh,
        long srcLow,
        int srcPort,
        long dstHigh,
        long dstLow,
        int dstPort,
        int flags,
        long seq) {
      long srcClient = table.firstSeenOrAbsent(srcHigh, srcLow, dstHigh, dstLow);
      long dstClient = table.firstSeenOrAbsent(dstHigh, dstLow, srcHigh, srcLow);
      if (srcClient == BackendTable.ABSENT && dstClient == BackendTable.ABSENT) {
        return; // not between a client and one of its DNS backends
      }
      IpAddress srcIp = IpAddress.of(srcHigh, srcLow);
      IpAddress dstIp = IpAddress.of(dstHigh, dstLow);
      FourTuple tuple = FourTuple.of(srcIp, srcPort, dstIp, dstPort);
      boolean srcIsLow = FourTuple.isLow(srcIp, srcPort, dstIp, dstPort);
      StreamFragment.Builder builder =
          streams.computeIfAbsent(
              tuple,
              t ->
                  srcIsLow
                      ? new StreamFragment.Builder(orNull(srcClient), orNull(dstClient))
                      : new StreamFragment.Builder(orNull(dstClient), orNull(srcClient)));
      builder.add(
          new OrderKey(record.timestampMicros(), record.file(), record.recordOffset()),
          srcIsLow,
          flags,
          seq);
    }

    /** A first appearance as the fragment holds it: null for a pair that is not a DNS pair. */
    private static Long orNull(long firstSeen) {
      return firstSeen == BackendTable.ABSENT ? null : firstSeen;
    }

    @Override
    public void dns(
        long srcHigh,
        long srcLow,
        int srcPort,
        long dstHigh,
        long dstLow,
        int dstPort,
        byte[] frame,
        int offset,
        int length) {
      // DNS was handled by pass 1.
    }
  }
}
