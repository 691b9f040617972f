package dev.connbal.transforms.summary;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import com.google.auto.value.AutoValue;
import dev.connbal.transforms.ConnBalRow;
import dev.connbal.transforms.keys.EncodedBatches;
import dev.connbal.transforms.keys.Shards;
import dev.connbal.transforms.output.IpFormat;
import dev.connbal.transforms.output.OneDocument;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * The balance summary as Beam transforms: {@link #summarize()} turns the analysis' rows into one
 * {@link SummaryRow} per client and name (SEMANTICS.md, "The balance summary"), and {@link #tsv}
 * and {@link #html} render those as one document each.
 *
 * <pre>{@code
 * PCollection<SummaryRow> summary = result.rows().apply("Summarize", Summary.summarize());
 * summary.apply("SummaryTsv", Summary.tsv(IpFormat.PADDED))       // the --summary TSV
 *     .apply(TextIO.write().to("balance").withSuffix(".tsv").withoutSharding());
 * summary.apply("Report", Summary.html(IpFormat.PADDED));         // the --report HTML
 * }</pre>
 *
 * <p>The rows meet per shard of clients, not per (client, name): the Direct runner pays per key,
 * and a shard's group holds its clients' rows, never one per packet. They travel in encoded batches
 * ({@link EncodedBatches}), cheap for a runner to copy. Grouping keeps the rows' windows, so a
 * windowed input gives a summary per window.
 */
public final class Summary {
  private Summary() {}

  /** One {@link SummaryRow} per client and name of the rows: see {@link Summarize}. */
  public static Summarize summarize() {
    return new AutoValue_Summary_Summarize.Builder().setShardCount(Shards.DEFAULT_COUNT).build();
  }

  /** The summary TSV ({@link SummaryTsv}), worst first, clients printed as {@code ips} says. */
  public static OneDocument<SummaryRow> tsv(IpFormat ips) {
    checkArgument(ips != null, "IP format must not be null");
    return OneDocument.of("summary TSV", rows -> SummaryTsv.render(rows, ips));
  }

  /** The self-contained HTML report ({@link HtmlReport}), addresses printed as {@code ips} says. */
  public static OneDocument<SummaryRow> html(IpFormat ips) {
    checkArgument(ips != null, "IP format must not be null");
    return OneDocument.of("HTML report", rows -> HtmlReport.render(rows, ips));
  }

  /** Implementation of {@link #summarize()}. */
  @AutoValue
  public abstract static class Summarize
      extends PTransform<PCollection<ConnBalRow>, PCollection<SummaryRow>> {
    abstract int shardCount();

    abstract Builder toBuilder();

    /**
     * How many keys the rows spread over to meet per client (default {@value
     * Shards#DEFAULT_COUNT}); the output does not depend on it.
     */
    public Summarize withShardCount(int count) {
      checkArgument(count >= 1, "shard count must be at least 1, got %s", count);
      return toBuilder().setShardCount(count).build();
    }

    @Override
    public PCollection<SummaryRow> expand(PCollection<ConnBalRow> rows) {
      Shards shards = new Shards(shardCount());
      Coder<List<ConnBalRow>> batchCoder = EncodedBatches.batchCoder(rows.getCoder());
      PCollection<SummaryRow> summaries =
          rows.apply(
                  "BatchByClientShard",
                  EncodedBatches.byShard(row -> shards.ofClientAddress(row.getClient())))
              .apply("GroupByClientShard", GroupByKey.create())
              .apply("SummarizeClients", ParDo.of(new SummarizeShardFn(batchCoder)));
      try {
        return summaries.setCoder(
            rows.getPipeline().getSchemaRegistry().getSchemaCoder(SummaryRow.class));
      } catch (NoSuchSchemaException e) {
        throw new IllegalStateException("SummaryRow has a @DefaultSchema", e);
      }
    }

    @Override
    public void populateDisplayData(DisplayData.Builder builder) {
      super.populateDisplayData(builder);
      builder.add(DisplayData.item("shardCount", shardCount()).withLabel("Client shards"));
    }

    /** Builder for {@link Summarize}. */
    @AutoValue.Builder
    abstract static class Builder {
      abstract Builder setShardCount(int count);

      abstract Summarize build();
    }
  }

  /** The summaries of one shard's clients. */
  private static final class SummarizeShardFn
      extends DoFn<KV<Integer, Iterable<byte[]>>, SummaryRow> {
    private final Coder<List<ConnBalRow>> batchCoder;

    SummarizeShardFn(Coder<List<ConnBalRow>> batchCoder) {
      this.batchCoder = batchCoder;
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, Iterable<byte[]>> shard, OutputReceiver<SummaryRow> out) {
      BalanceSummarizer.summarizeAll(EncodedBatches.decodeAll(batchCoder, shard.getValue()))
          .forEach(out::output);
    }
  }
}
