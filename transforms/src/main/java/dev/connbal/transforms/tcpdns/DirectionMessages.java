package dev.connbal.transforms.tcpdns;

import dev.connbal.transforms.decode.DnsDecodeException;
import dev.connbal.transforms.decode.DnsMessage;
import dev.connbal.transforms.events.DnsEvent;
import dev.connbal.transforms.report.ConnBalMetrics;
import java.util.ArrayList;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What the DNS messages of stream directions are, on both roads: each message {@link
 * DnsStreamReassembler} yields is decoded (a malformed one counted), made the event it would be
 * over UDP and placed at the segment that completes it ({@link ReassembleTcpDnsFn#toEvent}), and
 * handed to {@link #event}; messages lost to gaps are counted. The counts add up over the
 * reassemblies.
 */
public abstract class DirectionMessages implements DnsStreamReassembler.Sink {
  private final @Nullable String nameFilter;
  private List<TcpDnsSegment> segments = List.of();
  private int skip;
  private int yielded;
  private long decoded;
  private long malformed;
  private long lost;

  /** Events of the names that pass {@code nameFilter} (null for every name). */
  protected DirectionMessages(@Nullable String nameFilter) {
    this.nameFilter = nameFilter;
  }

  /** An event of a message, with the message it was made of. */
  protected abstract void event(DnsEvent event, DnsMessage message);

  /**
   * Reassembles a direction from its segments in capture order, passing over the first {@code skip}
   * messages (sent before), to its end when {@code ends}: only then are its losses counted, as a
   * hole may yet be filled ({@link DnsStreamReassembler#reassemble(List, DnsStreamReassembler.Sink,
   * boolean)}).
   *
   * @return whether bytes are left behind a hole
   */
  public final boolean reassemble(
      DnsStreamReassembler reassembler,
      List<TcpDnsSegment> inCaptureOrder,
      int skip,
      boolean ends) {
    this.segments = inCaptureOrder;
    this.skip = skip;
    this.yielded = 0;
    List<DnsStreamReassembler.Segment> in = new ArrayList<>(inCaptureOrder.size());
    for (TcpDnsSegment s : inCaptureOrder) {
      in.add(s.forReassembly());
    }
    long lostBefore = lost;
    boolean bytesBehindAHole = reassembler.reassemble(in, this, ends);
    if (!ends) {
      lost = lostBefore;
    }
    segments = List.of();
    return bytesBehindAHole;
  }

  /** The messages the last reassembly yielded, those passed over included. */
  public final int yielded() {
    return yielded;
  }

  /** Messages decoded, malformed and lost, over the reassemblies so far. */
  public final long decodedCount() {
    return decoded;
  }

  public final long malformedCount() {
    return malformed;
  }

  /** Messages lost to gaps, counted at the ends of directions. */
  public final long lostCount() {
    return lost;
  }

  @Override
  public final void message(byte[] bytes, int segment, int ordinal) {
    if (yielded++ < skip) {
      return;
    }
    DnsMessage message;
    try {
      message = DnsMessage.decode(bytes, 0, bytes.length);
    } catch (DnsDecodeException e) {
      malformed++;
      return;
    }
    decoded++;
    DnsEvent event =
        ReassembleTcpDnsFn.toEvent(nameFilter, segments.get(segment), message, ordinal);
    if (event == null) {
      return;
    }
    (event.isResponse() ? ConnBalMetrics.DNS_RESPONSES : ConnBalMetrics.DNS_QUERIES).inc();
    event(event, message);
  }

  @Override
  public final void lost() {
    lost++;
  }
}
