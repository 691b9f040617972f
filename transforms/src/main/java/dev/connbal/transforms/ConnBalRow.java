package dev.connbal.transforms;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldNumber;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One result of the analysis: a (client, backend, port) with its counts and name, SEMANTICS.md's
 * output line as a value. A {@code PCollection<ConnBalRow>} has a Beam schema (its fields are the
 * accessors below), so Beam SQL, {@code Convert}, ParquetIO or a BigQuery write can take it as it
 * is; {@link dev.connbal.transforms.output.Documents} renders the rows as TSV, CSV or JSON lines.
 *
 * <p>The schema's fields are in the order of the TSV's columns, then the SRV fields. Addresses are
 * in their plain text form ({@code 10.0.1.2}), whatever the TSV's IP format: the zero padding is
 * the TSV's, for {@code sort -n}, not a property of the result.
 */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class ConnBalRow {
  /** The client, the address that sent the queries and the connection attempts. */
  @SchemaFieldNumber("0")
  public abstract String getClient();

  /** The backend's address. */
  @SchemaFieldNumber("1")
  public abstract String getBackend();

  /**
   * The backend port: an SRV record's port, or the destination port of counted connections; null
   * for a backend that DNS returned without a port and that got no connection (TSV's {@code ?}).
   */
  @SchemaFieldNumber("2")
  public abstract @Nullable Integer getPort();

  /** Connection attempts (or, in the all-streams mode, streams) to the backend on the port. */
  @SchemaFieldNumber("3")
  public abstract long getConns();

  /** Matched responses that listed the backend (for an SRV backend, on this port). */
  @SchemaFieldNumber("4")
  public abstract long getDns();

  /**
   * The name that created the backend (the address record's owner, or the SRV service), in DNS
   * presentation form with a trailing dot.
   */
  @SchemaFieldNumber("5")
  public abstract String getName();

  /**
   * For an SRV backend on a port an SRV record gave it, the lowest priority of the records that
   * named its target on that port, as known at the responses that listed it (RFC 2782's selection
   * starts from the lowest); null for an address-record backend or another port.
   */
  @SchemaFieldNumber("6")
  public abstract @Nullable Integer getSrvPriority();

  /** The weight of the most recent of those records with {@link #getSrvPriority()}; else null. */
  @SchemaFieldNumber("7")
  public abstract @Nullable Integer getSrvWeight();

  public static Builder builder() {
    return new AutoValue_ConnBalRow.Builder();
  }

  /** Builder for {@link ConnBalRow}; port, SRV priority and weight default to null. */
  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setClient(String client);

    public abstract Builder setBackend(String backend);

    public abstract Builder setPort(@Nullable Integer port);

    public abstract Builder setConns(long conns);

    public abstract Builder setDns(long dns);

    public abstract Builder setName(String name);

    public abstract Builder setSrvPriority(@Nullable Integer priority);

    public abstract Builder setSrvWeight(@Nullable Integer weight);

    public abstract ConnBalRow build();
  }
}
