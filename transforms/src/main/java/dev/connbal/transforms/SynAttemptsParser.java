package dev.connbal.transforms;

import dev.connbal.snoop.SnoopRecordView;
import dev.connbal.transforms.decode.DecodeStats;
import dev.connbal.transforms.decode.FrameDecoder;
import dev.connbal.transforms.decode.FrameVisitor;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Pass 2, default mode: reads a range's connection attempts (SYN without ACK/FIN/RST) from a
 * client to one of its DNS backends, and outputs per (client, backend, port) the set of attempts
 * it saw ({@link AttemptIds}: retransmissions merged, each marked early when a SYN of it came
 * before the backend's first DNS appearance), keyed by shard. What crosses the shuffle is one
 * element per (range, client, backend, port), not one per packet or attempt.
 */
final class SynAttemptsParser extends TcpPassParser<KV<Integer, KV<BackendPort, AttemptIds>>> {
  private static final long serialVersionUID = 1L;

  /** SYNs a range reads before what it holds is output early, to bound memory. */
  static final int MAX_SYNS_PER_FLUSH = 1_000_000;

  SynAttemptsParser(PCollectionView<BackendTable> backendTable, Shards shards) {
    super(backendTable, shards);
  }

  @Override
  public Coder<KV<Integer, KV<BackendPort, AttemptIds>>> getOutputCoder() {
    return KvCoder.of(VarIntCoder.of(), KvCoder.of(BackendPortCoder.of(), AttemptIdsCoder.of()));
  }

  @Override
  RangeParser startRange(
      BackendTable table, Consumer<KV<Integer, KV<BackendPort, AttemptIds>>> output) {
    return new SynVisitor(table, shards, output);
  }

  private static final class SynVisitor implements FrameVisitor, RangeParser {
    private final BackendTable table;
    private final Shards shards;
    private final Consumer<KV<Integer, KV<BackendPort, AttemptIds>>> output;
    private final Map<BackendPort, AttemptIds.Builder> attempts = new HashMap<>();
    /** Pass 1 already counted every record's decode problems for the report; not read again. */
    private final DecodeStats ignoredStats = new DecodeStats();
    private int synsSinceFlush;
    /** The record being decoded; its time is read only for the SYNs that count. */
    private SnoopRecordView record;

    SynVisitor(
        BackendTable table,
        Shards shards,
        Consumer<KV<Integer, KV<BackendPort, AttemptIds>>> output) {
      this.table = table;
      this.shards = shards;
      this.output = output;
    }

    @Override
    public void record(SnoopRecordView r) {
      record = r;
      FrameDecoder.decode(r, this, ignoredStats);
      record = null;
      if (synsSinceFlush >= MAX_SYNS_PER_FLUSH) {
        flush();
      }
    }

    @Override
    public void tcp(int srcIp, int srcPort, int dstIp, int dstPort, int flags, long seq) {
      if (!TcpFlags.isOpeningSyn(flags)) {
        return;
      }
      long firstSeen = table.firstSeenOrAbsent(ClientBackend.of(srcIp, dstIp));
      if (firstSeen == BackendTable.ABSENT) {
        return; // not from a client to one of its DNS backends
      }
      attempts
          .computeIfAbsent(new BackendPort(srcIp, dstIp, dstPort), k -> new AttemptIds.Builder())
          .add(srcPort, seq, record.timestampMicros() < firstSeen);
      synsSinceFlush++;
    }

    @Override
    public void dns(
        int srcIp, int srcPort, int dstIp, int dstPort, byte[] frame, int offset, int length) {
      // DNS was handled by pass 1.
    }

    @Override
    public void finish() {
      flush();
    }

    private void flush() {
      attempts.forEach(
          (backendPort, ids) ->
              output.accept(
                  KV.of(
                      shards.of(backendPort.pair(), backendPort.port()),
                      KV.of(backendPort, ids.build()))));
      attempts.clear();
      synsSinceFlush = 0;
    }
  }
}
