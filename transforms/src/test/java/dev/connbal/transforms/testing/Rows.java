package dev.connbal.transforms.testing;

import dev.connbal.transforms.ConnBalRow;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Rows written out in a test, one call a row. */
public final class Rows {
  private Rows() {}

  /** A row; port, SRV priority and weight may be null (an address backend, the TSV's {@code ?}). */
  public static ConnBalRow row(
      String client,
      String backend,
      @Nullable Integer port,
      long conns,
      long dns,
      String name,
      @Nullable Integer priority,
      @Nullable Integer weight) {
    return ConnBalRow.builder()
        .setClient(client)
        .setBackend(backend)
        .setPort(port)
        .setConns(conns)
        .setDns(dns)
        .setName(name)
        .setSrvPriority(priority)
        .setSrvWeight(weight)
        .build();
  }
}
