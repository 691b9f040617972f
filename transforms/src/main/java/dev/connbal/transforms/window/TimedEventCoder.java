package dev.connbal.transforms.window;

import dev.connbal.transforms.events.DnsEvent;
import dev.connbal.transforms.events.DnsNameTable;
import dev.connbal.transforms.events.DnsPartial;
import dev.connbal.transforms.keys.IpAddress;
import dev.connbal.transforms.report.RunReport;
import dev.connbal.transforms.wire.DnsPartialCoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Iterator;
import java.util.List;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * The coder of {@link TimedEvent}: its kind, then a DNS event as a partial of one event ({@link
 * DnsPartialCoder}, the wire form of every DNS event) or a SYN's fields.
 */
public final class TimedEventCoder extends AtomicCoder<TimedEvent> {
  private static final TimedEventCoder INSTANCE = new TimedEventCoder();
  private static final VarIntCoder INT = VarIntCoder.of();
  private static final VarLongCoder LONG = VarLongCoder.of();

  public static TimedEventCoder of() {
    return INSTANCE;
  }

  private TimedEventCoder() {}

  @Override
  public void encode(TimedEvent e, OutputStream out) throws IOException {
    INT.encode(e.kind().code, out);
    if (e.kind() == TimedEvent.Kind.SYN) {
      LONG.encode(e.timeMicros(), out);
      e.client().writeTo(out);
      e.server().writeTo(out);
      INT.encode(e.port(), out);
      LONG.encode(e.attempt(), out);
    } else {
      DnsPartialCoder.of().encode(DnsPartial.of(List.of(e.dns()), RunReport.empty()), out);
    }
  }

  @Override
  public TimedEvent decode(InputStream in) throws IOException {
    TimedEvent.Kind kind;
    try {
      kind = TimedEvent.Kind.ofCode(INT.decode(in));
    } catch (IllegalArgumentException e) {
      throw new CoderException(e.getMessage());
    }
    if (kind == TimedEvent.Kind.SYN) {
      return TimedEvent.syn(
          LONG.decode(in),
          IpAddress.readFrom(in),
          IpAddress.readFrom(in),
          INT.decode(in),
          LONG.decode(in));
    }
    Iterator<DnsEvent> events = DnsPartialCoder.of().decode(in).events(new DnsNameTable.Interner());
    if (!events.hasNext()) {
      throw new CoderException("a timed DNS event without its event");
    }
    return TimedEvent.dns(events.next(), kind == TimedEvent.Kind.SRV_LEARNING);
  }

  @Override
  public void verifyDeterministic() {}
}
