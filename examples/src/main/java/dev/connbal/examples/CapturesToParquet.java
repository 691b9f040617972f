package dev.connbal.examples;

import dev.connbal.pipeline.PathStyleS3ClientBuilderFactory;
import dev.connbal.pipeline.WriteParquet;
import dev.connbal.transforms.ConnBal;
import dev.connbal.transforms.ConnBalResult;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.Validation;

/**
 * A Beam pipeline of a user's own around connbal: it reads snoop captures from S3 (or any Beam file
 * system), runs connbal's analysis, and writes its rows as Parquet files for a query engine
 * (Athena, Spark, DuckDB) instead of connbal's TSV.
 *
 * <pre>
 * CapturesToParquet --captures='s3://captures/2024-05-*&#47;*.snoop' --output=s3://results/lb \
 *     --awsRegion=us-east-1
 * </pre>
 *
 * writes {@code s3://results/lb-00000-of-00001.parquet} ({@link WriteParquet} says what is in it).
 * Every other option is Beam's: {@code --runner}, and Beam's AWS options for S3 ({@code
 * --awsRegion}, {@code --endpoint}, {@code --awsCredentialsProvider}; without it, the AWS SDK's
 * default sources: environment, profile, instance role). S3-compatible servers whose bucket host
 * names do not resolve (MinIO, Ceph, S3Proxy) need path-style addressing, which Beam's S3 client
 * options do not offer: {@code
 * --s3ClientFactoryClass=dev.connbal.pipeline.PathStyleS3ClientBuilderFactory} selects connbal's
 * client factory, as the CLI's {@code --s3-path-style} does.
 *
 * <p>It depends on connbal's pipeline module, not only on its transforms, because that is what a
 * user would reuse rather than copy: {@link WriteParquet} (the rows' Avro schema in a fixed column
 * order, the nullable fields, the file naming) and {@link PathStyleS3ClientBuilderFactory} (which
 * also leaves out a header these servers reject) are tested there, and the module brings Beam's S3
 * file system and the Direct and Flink runners. A pipeline that only needs the rows depends on
 * connbal-transforms ({@code ConnBal.analyze()}) alone. The analysis is configured through its own
 * options, never the CLI's ({@code ConnBalOptions}), which belong to the command.
 */
public final class CapturesToParquet {
  private CapturesToParquet() {}

  /** The example's options; the S3 ones are Beam's own ({@link S3Options}). */
  public interface Options extends S3Options {
    @Description("Captures to read: a file pattern of any Beam file system (s3://bucket/*.snoop)")
    @Validation.Required
    String getCaptures();

    void setCaptures(String captures);

    @Description("Parquet output prefix: PREFIX-SSSSS-of-NNNNN.parquet (local or s3://)")
    @Validation.Required
    String getOutput();

    void setOutput(String output);

    @Description("Count every TCP stream, also those open before the capture (connbal -a)")
    @Default.Boolean(false)
    boolean getAllStreams();

    void setAllStreams(boolean allStreams);

    @Description("Only DNS lookups whose name contains this (case-insensitive; connbal -F)")
    String getNameFilter();

    void setNameFilter(String nameFilter);
  }

  public static void main(String[] args) {
    PipelineResult.State state = run(options(args));
    if (state != PipelineResult.State.DONE) {
      System.err.println("CapturesToParquet: the run ended in state " + state);
      System.exit(1);
    }
  }

  /** Parses {@code args}: the example's options and Beam's, validated. */
  public static Options options(String... args) {
    PipelineOptionsFactory.register(Options.class);
    return PipelineOptionsFactory.fromArgs(args).withValidation().as(Options.class);
  }

  /** Builds the pipeline, runs it and waits for it to end. */
  public static PipelineResult.State run(Options options) {
    Pipeline pipeline = Pipeline.create(options);
    build(pipeline, options);
    return pipeline.run().waitUntilFinish();
  }

  /**
   * The pipeline: captures, analysis, Parquet. {@link ConnBalResult} also holds the run report and
   * the read errors (a capture that cannot be read is reported there, and the others are still
   * analyzed); this example writes only the rows.
   */
  static void build(Pipeline pipeline, Options options) {
    ConnBal.Analyze analyze = ConnBal.analyze().withAllStreams(options.getAllStreams());
    if (options.getNameFilter() != null) {
      analyze = analyze.withNameFilter(options.getNameFilter());
    }
    ConnBalResult result = pipeline.apply("AnalyzeCaptures", analyze.from(options.getCaptures()));
    result.rows().apply("WriteParquet", WriteParquet.to(options.getOutput()));
  }
}
