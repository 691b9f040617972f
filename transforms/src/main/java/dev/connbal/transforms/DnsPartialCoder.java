package dev.connbal.transforms;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.ListCoder;

/** Deterministic coder for {@link DnsPartial}: the report, then the events. */
final class DnsPartialCoder extends AtomicCoder<DnsPartial> {
  private static final DnsPartialCoder INSTANCE = new DnsPartialCoder();
  private static final ListCoder<DnsEvent> EVENTS = ListCoder.of(DnsEventCoder.of());

  static DnsPartialCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(DnsPartial partial, OutputStream out) throws IOException {
    RunReportCoder.of().encode(partial.report(), out);
    EVENTS.encode(partial.events(), out);
  }

  @Override
  public DnsPartial decode(InputStream in) throws IOException {
    RunReport report = RunReportCoder.of().decode(in);
    return new DnsPartial(EVENTS.decode(in), report);
  }

  @Override
  public void verifyDeterministic() {}
}
