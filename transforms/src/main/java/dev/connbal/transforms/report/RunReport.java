package dev.connbal.transforms.report;

import com.google.auto.value.AutoValue;
import dev.connbal.transforms.wire.RunReportCoder;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * What one run read and what it had to skip (SEMANTICS.md "What the run must also report"), so that
 * nothing is dropped silently. Immutable; partial reports of bundles add up with {@link #plus}.
 */
@AutoValue
@DefaultCoder(RunReportCoder.class)
public abstract class RunReport {
  /** Snoop records read (pass 1). */
  public abstract long packets();

  /** Captured frame bytes of those records (sum of included lengths). */
  public abstract long frameBytes();

  /** Corrupt regions the snoop reader skipped. */
  public abstract long corruptRegions();

  /** Bytes in those corrupt regions. */
  public abstract long corruptBytes();

  /** Records cut short at the end of a file. */
  public abstract long truncatedRecords();

  /** Bytes in those truncated records. */
  public abstract long truncatedBytes();

  /** Files with at least one read error (file-level or inside the file). */
  public abstract long filesWithErrors();

  /** DNS messages that could not be decoded or break SEMANTICS.md's limits. */
  public abstract long dnsMalformed();

  /** DNS responses (with answers) that matched no outstanding query. */
  public abstract long responsesWithoutQuery();

  /** Frames of a link type connbal does not decode (each such file is also a read error). */
  public abstract long unsupportedLinkTypeFrames();

  /** Frames whose link header names something other than IP (ARP, other ethertypes, ...). */
  public abstract long notIpFrames();

  /** IP packets whose transport header is hidden (ESP) or absent (No Next Header), skipped. */
  public abstract long noTransportHeaderFrames();

  /** Frames whose link, IP, UDP or TCP headers are broken. */
  public abstract long malformedFrames();

  /** Non-first IPv4 and IPv6 fragments (and first ones of UDP), skipped. */
  public abstract long fragmentsSkipped();

  /**
   * Packets of a windowed run that came after time had passed them (SEMANTICS.md "Windows"): a late
   * SYN is counted in its window, which is then written again; a late DNS message, or segment of
   * DNS over TCP, is only counted here, as the rules need DNS in time order.
   */
  public abstract long latePackets();

  /**
   * DNS messages over TCP lost to a gap in their stream that was never filled, or cut off by the
   * end of the capture (SEMANTICS.md "Events", {@link
   * dev.connbal.transforms.tcpdns.DnsStreamReassembler}).
   */
  public abstract long tcpDnsMessagesLost();

  public static Builder builder() {
    return new AutoValue_RunReport.Builder()
        .setPackets(0)
        .setFrameBytes(0)
        .setCorruptRegions(0)
        .setCorruptBytes(0)
        .setTruncatedRecords(0)
        .setTruncatedBytes(0)
        .setFilesWithErrors(0)
        .setDnsMalformed(0)
        .setResponsesWithoutQuery(0)
        .setUnsupportedLinkTypeFrames(0)
        .setNotIpFrames(0)
        .setNoTransportHeaderFrames(0)
        .setMalformedFrames(0)
        .setFragmentsSkipped(0)
        .setLatePackets(0)
        .setTcpDnsMessagesLost(0);
  }

  /** A report with every count zero. */
  public static RunReport empty() {
    return builder().build();
  }

  public abstract Builder toBuilder();

  /** The field-by-field sum of two partial reports. */
  public RunReport plus(RunReport o) {
    return builder()
        .setPackets(packets() + o.packets())
        .setFrameBytes(frameBytes() + o.frameBytes())
        .setCorruptRegions(corruptRegions() + o.corruptRegions())
        .setCorruptBytes(corruptBytes() + o.corruptBytes())
        .setTruncatedRecords(truncatedRecords() + o.truncatedRecords())
        .setTruncatedBytes(truncatedBytes() + o.truncatedBytes())
        .setFilesWithErrors(filesWithErrors() + o.filesWithErrors())
        .setDnsMalformed(dnsMalformed() + o.dnsMalformed())
        .setResponsesWithoutQuery(responsesWithoutQuery() + o.responsesWithoutQuery())
        .setUnsupportedLinkTypeFrames(unsupportedLinkTypeFrames() + o.unsupportedLinkTypeFrames())
        .setNotIpFrames(notIpFrames() + o.notIpFrames())
        .setNoTransportHeaderFrames(noTransportHeaderFrames() + o.noTransportHeaderFrames())
        .setMalformedFrames(malformedFrames() + o.malformedFrames())
        .setFragmentsSkipped(fragmentsSkipped() + o.fragmentsSkipped())
        .setLatePackets(latePackets() + o.latePackets())
        .setTcpDnsMessagesLost(tcpDnsMessagesLost() + o.tcpDnsMessagesLost())
        .build();
  }

  /**
   * The report as the lines printed on stderr, one {@code what: count} per line, each ending in \n.
   */
  public String format() {
    return "packets read: "
        + packets()
        + "\n"
        + "frame bytes read: "
        + frameBytes()
        + "\n"
        + "corrupt regions skipped: "
        + corruptRegions()
        + "\n"
        + "corrupt bytes skipped: "
        + corruptBytes()
        + "\n"
        + "truncated records: "
        + truncatedRecords()
        + "\n"
        + "truncated bytes: "
        + truncatedBytes()
        + "\n"
        + "files with errors: "
        + filesWithErrors()
        + "\n"
        + "DNS messages malformed: "
        + dnsMalformed()
        + "\n"
        + "DNS responses without a matching query: "
        + responsesWithoutQuery()
        + "\n"
        + "frames skipped for an unsupported link type: "
        + unsupportedLinkTypeFrames()
        + "\n"
        + "frames skipped as not IP: "
        + notIpFrames()
        + "\n"
        + "frames skipped without a readable transport header (ESP, No Next Header): "
        + noTransportHeaderFrames()
        + "\n"
        + "frames skipped as malformed: "
        + malformedFrames()
        + "\n"
        + "IP fragments skipped: "
        + fragmentsSkipped()
        + "\n"
        + "DNS-over-TCP messages lost to gaps: "
        + tcpDnsMessagesLost()
        + "\n"
        // Only windowed runs have late packets; a run without windows keeps its report as it was.
        + (latePackets() > 0 ? "late packets: " + latePackets() + "\n" : "");
  }

  /** Builder for {@link RunReport}. */
  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setPackets(long v);

    public abstract Builder setFrameBytes(long v);

    public abstract Builder setCorruptRegions(long v);

    public abstract Builder setCorruptBytes(long v);

    public abstract Builder setTruncatedRecords(long v);

    public abstract Builder setTruncatedBytes(long v);

    public abstract Builder setFilesWithErrors(long v);

    public abstract Builder setDnsMalformed(long v);

    public abstract Builder setResponsesWithoutQuery(long v);

    public abstract Builder setUnsupportedLinkTypeFrames(long v);

    public abstract Builder setNotIpFrames(long v);

    public abstract Builder setNoTransportHeaderFrames(long v);

    public abstract Builder setMalformedFrames(long v);

    public abstract Builder setFragmentsSkipped(long v);

    public abstract Builder setLatePackets(long v);

    public abstract Builder setTcpDnsMessagesLost(long v);

    public abstract RunReport build();
  }
}
