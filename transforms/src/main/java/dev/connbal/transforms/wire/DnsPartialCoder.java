package dev.connbal.transforms.wire;

import dev.connbal.transforms.events.DnsPartial;
import dev.connbal.transforms.report.RunReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.util.VarInt;

/**
 * Deterministic coder for {@link DnsPartial}: the report, the file, the event count, the event
 * bytes.
 */
public final class DnsPartialCoder extends AtomicCoder<DnsPartial> {
  private static final DnsPartialCoder INSTANCE = new DnsPartialCoder();

  public static DnsPartialCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(DnsPartial partial, OutputStream out) throws IOException {
    RunReportCoder.of().encode(partial.report(), out);
    StringUtf8Coder.of().encode(partial.file(), out);
    VarInt.encode(partial.eventCount(), out);
    ByteArrayCoder.of().encode(partial.encodedEvents(), out);
  }

  @Override
  public DnsPartial decode(InputStream in) throws IOException {
    RunReport report = RunReportCoder.of().decode(in);
    String file = StringUtf8Coder.of().decode(in);
    int count = VarInt.decodeInt(in);
    if (count < 0) {
      throw new CoderException("negative event count " + count);
    }
    return new DnsPartial(file, ByteArrayCoder.of().decode(in), count, report);
  }

  @Override
  public void verifyDeterministic() {}
}
