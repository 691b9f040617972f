package dev.connbal.transforms;

import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.join.RawUnionValue;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Separates what pass 1 ({@link DnsAndSynParser}) outputs: the DNS partials, for the timeline,
 * and the SYN batches by shard, for the count.
 */
final class SplitDnsAndSynsFn extends DoFn<RawUnionValue, DnsPartial> {
  static final TupleTag<DnsPartial> DNS = new TupleTag<>() {};
  static final TupleTag<KV<Integer, SynBatch>> SYNS = new TupleTag<>() {};

  @ProcessElement
  @SuppressWarnings("unchecked") // the parser's union tags say which type each value is
  public void process(@Element RawUnionValue part, MultiOutputReceiver out) {
    switch (part.getUnionTag()) {
      case DnsAndSynParser.DNS -> out.get(DNS).output((DnsPartial) part.getValue());
      case DnsAndSynParser.SYNS -> out.get(SYNS).output((KV<Integer, SynBatch>) part.getValue());
      default -> throw new IllegalArgumentException("unknown union tag " + part.getUnionTag());
    }
  }
}
