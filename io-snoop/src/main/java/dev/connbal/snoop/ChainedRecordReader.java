package dev.connbal.snoop;

import java.io.IOException;

/**
 * Reads the formats whose records carry no marker, snoop and pcap: a file header, then records
 * whose headers {@link RecordHeaderRules} judge, each followed by its frame. A range starts and
 * stops at the first {@linkplain RecordChain certified} position at or after its offset, which both
 * neighbours compute alike from the bytes around it (see {@link CaptureFileReader}).
 */
abstract class ChainedRecordReader extends CaptureFormatReader {
  private final long bytesToRead;
  private RecordHeaderRules rules;
  private RecordChain chain;
  private int linkType;
  private long dataStart;

  ChainedRecordReader(String file, SnoopInput in, int maxIncludedLength, long bytesToRead) {
    super(file, in, maxIncludedLength);
    this.bytesToRead = bytesToRead;
  }

  /**
   * Sets up reading once the file header passed: records of {@code layout} from {@code dataStart},
   * all of link type {@code linkType}; the first record's header sets the time window.
   */
  void startRecords(RecordHeaderRules.Layout layout, int linkType, long dataStart)
      throws IOException {
    RecordHeaderRules untimed = RecordHeaderRules.withoutTimeCheck(layout, maxIncludedLength);
    int scanChunk = reserveBuffer(RecordChain.bufferNeeded(untimed), bytesToRead);
    int header = layout.headerLength();
    int n = in.ensure(dataStart, header);
    this.rules =
        RecordHeaderRules.forFirstRecord(
            layout, maxIncludedLength, in.array(), in.index(dataStart), n);
    this.chain = new RecordChain(in, rules, dataStart, scanChunk);
    this.linkType = linkType;
    this.dataStart = dataStart;
  }

  @Override
  long dataStart() {
    return dataStart;
  }

  @Override
  long rangeStart(long x) throws IOException {
    return chain.firstCertifiedAtOrAfter(x);
  }

  @Override
  long rangeStop(long x) throws IOException {
    return chain.firstCertifiedAtOrAfter(x);
  }

  @Override
  boolean stopsExactly() {
    return true;
  }

  @Override
  long readItem(long pos, CaptureFileReader.Sink sink) throws IOException {
    lastItemTruncated = false;
    int header = rules.headerLength();
    int avail = in.ensure(pos, header);
    if (avail < header) {
      return truncatedRecord(
          pos, avail, "only " + avail + " bytes of a " + header + "-byte record header", sink);
    }
    byte[] b = in.array();
    int i = in.index(pos);
    if (!rules.isValid(b, i)) {
      String why = rules.whyInvalid(b, i);
      return corruptRegion(pos, chain.firstProvenAtOrAfter(pos + 1), "record header", why, sink);
    }
    int recordLength = rules.recordLength(b, i);
    int got = in.ensure(pos, recordLength);
    if (got < recordLength) {
      return truncatedRecord(
          pos, got, "record length " + recordLength + " but only " + got + " bytes", sink);
    }
    b = in.array();
    i = in.index(pos);
    view.set(
        pos,
        recordLength,
        linkType,
        rules.seconds(b, i),
        rules.microseconds(b, i),
        (int) rules.original(b, i),
        cumulativeDrops(b, i),
        b,
        i + header,
        (int) rules.included(b, i));
    sink.record(view);
    return pos + recordLength;
  }

  /** The record's cumulative drops, when the format has them. */
  abstract int cumulativeDrops(byte[] b, int headerIndex);
}
