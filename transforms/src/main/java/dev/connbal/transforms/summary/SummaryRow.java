package dev.connbal.transforms.summary;

import com.google.auto.value.AutoValue;
import java.util.List;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaFieldNumber;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * SEMANTICS.md's balance summary of one client and name: how the client spread its connections over
 * the backends DNS gave it under that name, against the spread expected. A {@code
 * PCollection<SummaryRow>} has a Beam schema (its fields are the accessors below, the TSV's columns
 * first); {@link Summary#tsv} renders the rows as the {@code --summary} TSV and {@link
 * Summary#html} as the HTML report.
 *
 * <p>The fields that have no value when the client made no connection (n = 0), or, for {@link
 * #getP()}, when the test lacks the counts it needs, are null.
 */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class SummaryRow {
  /** The client, in plain text form like the rows'. */
  @SchemaFieldNumber("0")
  public abstract String getClient();

  /** The name the rows share (an address record's owner, or an SRV service). */
  @SchemaFieldNumber("1")
  public abstract String getName();

  /** k: the backends of the name for the client ({@link #getBackends()}' size). */
  @SchemaFieldNumber("2")
  public abstract int getBackendCount();

  /** n: the connections to them, the sum of the rows' #conns. */
  @SchemaFieldNumber("3")
  public abstract long getConns();

  /** L: the largest #dns of the rows, the lookups that listed the backends. */
  @SchemaFieldNumber("4")
  public abstract long getLookups();

  /** L / n; null when n = 0. */
  @SchemaFieldNumber("5")
  public abstract @Nullable Double getLookupsPerConn();

  /**
   * The largest ratio of a backend's connections to its expected connections, among backends with a
   * share; null when n = 0.
   */
  @SchemaFieldNumber("6")
  public abstract @Nullable Double getMaxOverExpected();

  /** Backends with a share that got no connection; null when n = 0. */
  @SchemaFieldNumber("7")
  public abstract @Nullable Integer getUnused();

  /**
   * The chi-square goodness-of-fit p-value of the connections against the expected shares; null
   * when n = 0, when fewer than two backends have a share, or when an expected count is below 5.
   */
  @SchemaFieldNumber("8")
  public abstract @Nullable Double getP();

  /** The verdicts that apply ({@link Verdict#label()}), the most severe first. */
  // Unmodifiable: the summarizer passes List.copyOf.
  @SuppressWarnings("AutoValueImmutableFields")
  @SchemaFieldNumber("9")
  public abstract List<String> getVerdicts();

  /**
   * How many connections would have to move to another backend for the spread to be the expected
   * one: half the sum over the backends of |connections - expected|; null when n = 0. Divided by n,
   * it is the distance (0 to 1) between the observed and the expected spread.
   */
  @SchemaFieldNumber("10")
  public abstract @Nullable Double getMisplaced();

  /** Whether the expected shares are SRV's (RFC 2782 priority and weight), not even. */
  @SchemaFieldNumber("11")
  public abstract boolean getSrv();

  /** The backends, by address then port. */
  // Unmodifiable: the summarizer passes List.copyOf.
  @SuppressWarnings("AutoValueImmutableFields")
  @SchemaFieldNumber("12")
  public abstract List<SummaryBackend> getBackends();

  public static Builder builder() {
    return new AutoValue_SummaryRow.Builder();
  }

  abstract Builder toBuilder();

  /** Builder for {@link SummaryRow}; the optional metrics default to null. */
  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setClient(String client);

    public abstract Builder setName(String name);

    public abstract Builder setBackendCount(int k);

    public abstract Builder setConns(long n);

    public abstract Builder setLookups(long lookups);

    public abstract Builder setLookupsPerConn(@Nullable Double lookupsPerConn);

    public abstract Builder setMaxOverExpected(@Nullable Double maxOverExpected);

    public abstract Builder setUnused(@Nullable Integer unused);

    public abstract Builder setP(@Nullable Double p);

    public abstract Builder setVerdicts(List<String> verdicts);

    public abstract Builder setMisplaced(@Nullable Double misplaced);

    public abstract Builder setSrv(boolean srv);

    public abstract Builder setBackends(List<SummaryBackend> backends);

    public abstract SummaryRow build();
  }
}
