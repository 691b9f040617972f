package dev.connbal.transforms;

import dev.connbal.snoop.SnoopRecord;
import dev.connbal.transforms.decode.DecodeStats;
import dev.connbal.transforms.decode.FrameDecoder;
import dev.connbal.transforms.decode.FrameVisitor;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Pass 2, default mode: keeps the connection attempts (SYN without ACK/FIN/RST) from a client to
 * one of its DNS backends, each with its timestamp. Everything else is dropped here, so only the
 * SYNs of known (client, backend) pairs reach the shuffle.
 */
final class ExtractSynAttemptsFn extends DoFn<SnoopRecord, KV<AttemptKey, Long>> {
  private final PCollectionView<Map<Long, Long>> backendTable;
  private transient SynVisitor visitor;

  /** Pass 1 already counted every record's decode problems for the report; not read again. */
  private transient DecodeStats ignoredStats;

  ExtractSynAttemptsFn(PCollectionView<Map<Long, Long>> backendTable) {
    this.backendTable = backendTable;
  }

  @Setup
  public void setup() {
    visitor = new SynVisitor();
    ignoredStats = new DecodeStats();
  }

  @ProcessElement
  public void process(ProcessContext c) {
    SnoopRecord record = c.element();
    visitor.context = c;
    visitor.table = c.sideInput(backendTable);
    visitor.timestampMicros = record.timestampMicros();
    FrameDecoder.decode(record.frame(), record.datalinkType(), visitor, ignoredStats);
    visitor.context = null;
  }

  private static final class SynVisitor implements FrameVisitor {
    ProcessContext context;
    Map<Long, Long> table;
    long timestampMicros;

    @Override
    public void tcp(int srcIp, int srcPort, int dstIp, int dstPort, int flags, long seq) {
      if (TcpFlags.isOpeningSyn(flags) && table.containsKey(ClientBackend.of(srcIp, dstIp))) {
        context.output(KV.of(new AttemptKey(srcIp, srcPort, dstIp, dstPort, seq), timestampMicros));
      }
    }

    @Override
    public void dns(
        int srcIp, int srcPort, int dstIp, int dstPort, byte[] frame, int offset, int length) {
      // DNS was handled by pass 1.
    }
  }
}
