package dev.connbal.transforms.wire;

import dev.connbal.transforms.report.RunReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.util.VarInt;

/** Deterministic coder for {@link RunReport}: its counts as varints, in field order. */
public final class RunReportCoder extends AtomicCoder<RunReport> {
  private static final RunReportCoder INSTANCE = new RunReportCoder();

  private RunReportCoder() {}

  public static RunReportCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(RunReport r, OutputStream out) throws IOException {
    VarInt.encode(r.packets(), out);
    VarInt.encode(r.frameBytes(), out);
    VarInt.encode(r.corruptRegions(), out);
    VarInt.encode(r.corruptBytes(), out);
    VarInt.encode(r.truncatedRecords(), out);
    VarInt.encode(r.truncatedBytes(), out);
    VarInt.encode(r.filesWithErrors(), out);
    VarInt.encode(r.dnsMalformed(), out);
    VarInt.encode(r.responsesWithoutQuery(), out);
    VarInt.encode(r.unsupportedLinkTypeFrames(), out);
    VarInt.encode(r.notIpFrames(), out);
    VarInt.encode(r.noTransportHeaderFrames(), out);
    VarInt.encode(r.malformedFrames(), out);
    VarInt.encode(r.fragmentsSkipped(), out);
    VarInt.encode(r.latePackets(), out);
    VarInt.encode(r.tcpDnsMessagesLost(), out);
  }

  @Override
  public RunReport decode(InputStream in) throws IOException {
    return RunReport.builder()
        .setPackets(VarInt.decodeLong(in))
        .setFrameBytes(VarInt.decodeLong(in))
        .setCorruptRegions(VarInt.decodeLong(in))
        .setCorruptBytes(VarInt.decodeLong(in))
        .setTruncatedRecords(VarInt.decodeLong(in))
        .setTruncatedBytes(VarInt.decodeLong(in))
        .setFilesWithErrors(VarInt.decodeLong(in))
        .setDnsMalformed(VarInt.decodeLong(in))
        .setResponsesWithoutQuery(VarInt.decodeLong(in))
        .setUnsupportedLinkTypeFrames(VarInt.decodeLong(in))
        .setNotIpFrames(VarInt.decodeLong(in))
        .setNoTransportHeaderFrames(VarInt.decodeLong(in))
        .setMalformedFrames(VarInt.decodeLong(in))
        .setFragmentsSkipped(VarInt.decodeLong(in))
        .setLatePackets(VarInt.decodeLong(in))
        .setTcpDnsMessagesLost(VarInt.decodeLong(in))
        .build();
  }

  @Override
  public void verifyDeterministic() {}

  @Override
  public boolean consistentWithEquals() {
    return true;
  }
}
