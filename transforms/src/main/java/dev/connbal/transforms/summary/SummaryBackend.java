package dev.connbal.transforms.summary;

import com.google.auto.value.AutoValue;
import java.util.List;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldNumber;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One backend of a {@link SummaryRow}: what it got against what it was expected to get. For an
 * address-record name a backend is an address (its rows on several ports added up); for an SRV name
 * it is one row, a (target address, port).
 */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class SummaryBackend {
  /** The backend's address, in plain text form like the rows'. */
  @SchemaFieldNumber("0")
  public abstract String getBackend();

  /** Its ports, ascending; empty for the rows' {@code ?} (no connection, no SRV port). */
  // Unmodifiable: the builder's callers pass List.copyOf or List.of.
  @SuppressWarnings("AutoValueImmutableFields")
  @SchemaFieldNumber("1")
  public abstract List<Integer> getPorts();

  /** Connections to it (on all its ports). */
  @SchemaFieldNumber("2")
  public abstract long getConns();

  /** The rows' #dns: responses that listed it (the largest of its rows'). */
  @SchemaFieldNumber("3")
  public abstract long getDns();

  /** Its expected share of the name's connections, 0 to 1 (0: SRV's selection gives it none). */
  @SchemaFieldNumber("4")
  public abstract double getShare();

  /** Its expected connections: the name's connections times {@link #getShare()}. */
  @SchemaFieldNumber("5")
  public abstract double getExpected();

  /** The SRV priority of its row, null for an address-record backend. */
  @SchemaFieldNumber("6")
  public abstract @Nullable Integer getSrvPriority();

  /** The SRV weight of its row, null for an address-record backend. */
  @SchemaFieldNumber("7")
  public abstract @Nullable Integer getSrvWeight();

  public static Builder builder() {
    return new AutoValue_SummaryBackend.Builder();
  }

  /** Builder for {@link SummaryBackend}; SRV priority and weight default to null. */
  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setBackend(String backend);

    public abstract Builder setPorts(List<Integer> ports);

    public abstract Builder setConns(long conns);

    public abstract Builder setDns(long dns);

    public abstract Builder setShare(double share);

    public abstract Builder setExpected(double expected);

    public abstract Builder setSrvPriority(@Nullable Integer priority);

    public abstract Builder setSrvWeight(@Nullable Integer weight);

    public abstract SummaryBackend build();
  }
}
