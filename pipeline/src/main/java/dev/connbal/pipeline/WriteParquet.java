package dev.connbal.pipeline;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import dev.connbal.transforms.ConnBalRow;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.extensions.avro.schemas.utils.AvroUtils;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.WriteFilesResult;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.SchemaRegistry;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * Writes the analysis' rows as Parquet files named {@code PREFIX-SSSSS-of-NNNNN.parquet}, on any
 * Beam FileSystem (a local path or {@code s3://bucket/key-prefix}), through Beam's own sink: {@code
 * FileIO.write()} with {@link ParquetIO#sink}. Like {@code -o PREFIX} for the TSV, a PREFIX that
 * ends with {@code /} or names an existing local directory puts files named {@code
 * connbal-SSSSS-of-NNNNN.parquet} inside it.
 *
 * <pre>{@code
 * result.rows().apply("WriteParquet", WriteParquet.to("s3://results/lb"));
 * // s3://results/lb-00000-of-00001.parquet
 * }</pre>
 *
 * <p>The files' schema is {@link ConnBalRow}'s Beam schema turned into Avro by Beam's {@link
 * AvroUtils#toAvroSchema} ({@link #avroSchema()}), so that a field added to the row reaches the
 * files without a second schema to keep in step: a record {@code dev.connbal.ConnBalRow} of {@code
 * client}, {@code backend} (strings, plain address text), {@code port} (optional int), {@code
 * conns}, {@code dns} (longs), {@code name} (string), {@code srvPriority}, {@code srvWeight}
 * (optional ints), in this order, the TSV's and the CSV's (the row's {@code @SchemaFieldNumber}s).
 * The row's nullable fields are Avro unions with null, which Parquet stores as optional columns: a
 * backend without a port has a null {@code port}, never a placeholder value. Rows are in no
 * particular order (a query engine sorts; the TSV is the sorted document).
 *
 * <p>By default all rows go to one file ({@link #withNumShards}): a run has one row per (client,
 * backend, port), never one per packet, so one writer keeps up, and a fixed shard count makes the
 * file names known before the run ({@link #files()}). Every shard is written, also one without rows
 * (a valid Parquet file with the schema and no rows), so a run without backends still replaces the
 * files of an earlier run with the same prefix and shard count. Each file is written under a
 * temporary directory beside it ({@code .temp-beam-UUID}, deleted at the end) and renamed into
 * place when complete, replacing a file of the same name.
 */
public final class WriteParquet
    extends PTransform<PCollection<ConnBalRow>, WriteFilesResult<Void>> {
  /** The files' suffix. */
  public static final String SUFFIX = ".parquet";

  /** One file: see the class comment. */
  public static final int DEFAULT_NUM_SHARDS = 1;

  private final String prefix;
  private final int numShards;

  private WriteParquet(String prefix, int numShards) {
    this.prefix = prefix;
    this.numShards = numShards;
  }

  /** Writes to {@code prefix}: see the class comment. */
  public static WriteParquet to(String prefix) {
    checkArgument(prefix != null && !prefix.isEmpty(), "Parquet prefix must be a non-empty string");
    return new WriteParquet(prefix, DEFAULT_NUM_SHARDS);
  }

  /**
   * How many files to write: {@code n >= 1} exactly that many (each row goes to one of them), or 0
   * to let the runner choose (the names are then only known after the run, from {@link
   * WriteFilesResult#getPerDestinationOutputFilenames()}).
   */
  public WriteParquet withNumShards(int n) {
    checkArgument(n >= 0, "Parquet shard count must be 0 (runner's choice) or more, got %s", n);
    return new WriteParquet(prefix, n);
  }

  /**
   * The Avro schema of the files, derived from {@link ConnBalRow}'s Beam schema (see the class
   * comment); it is also how to read them back, e.g. with {@code ParquetIO.read(avroSchema())}.
   */
  public static org.apache.avro.Schema avroSchema() {
    return toAvro(fileRowSchema());
  }

  /**
   * The files this transform writes when the shard count is fixed, in shard order: what a launcher
   * can name to its user before or after the run. Resolves PREFIX, so the pipeline's file systems
   * must be set up (as they are once {@code Pipeline.create(options)} has run, or after {@link
   * FileSystems#setDefaultPipelineOptions}).
   *
   * @throws IllegalStateException with a shard count of 0, where the runner chooses the names
   */
  public List<ResourceId> files() {
    if (numShards == 0) {
      throw new IllegalStateException(
          "Parquet file names depend on the runner when the shard count is not fixed");
    }
    Target target = Target.of(prefix);
    List<ResourceId> files = new ArrayList<>(numShards);
    for (int shard = 0; shard < numShards; shard++) {
      files.add(
          target.directory.resolve(
              FileIO.Write.defaultNaming(target.filePrefix, SUFFIX)
                  .getFilename(
                      GlobalWindow.INSTANCE,
                      PaneInfo.NO_FIRING,
                      numShards,
                      shard,
                      Compression.UNCOMPRESSED),
              StandardResolveOptions.RESOLVE_FILE));
    }
    return files;
  }

  // withIgnoreWindowing is deprecated in Beam 2.62 but is the only way FileIO.write() writes as
  // TextIO does in the global window: FileIO otherwise always makes windowed writes, which skip
  // the shards that got no rows (a run without backends would write no file at all) and leave
  // their temporary directory, `.temp-beam`, beside the files. The rows are in the global window
  // (a batch pipeline); rows in other windows are written to the same files.
  @SuppressWarnings("deprecation")
  @Override
  public WriteFilesResult<Void> expand(PCollection<ConnBalRow> rows) {
    Schema fileSchema = fileRowSchema();
    org.apache.avro.Schema avroSchema = toAvro(fileSchema);
    Target target = Target.of(prefix);
    FileIO.Write<Void, GenericRecord> write =
        FileIO.<GenericRecord>write()
            .via(ParquetIO.sink(avroSchema))
            .to(target.directory.toString())
            .withPrefix(target.filePrefix)
            .withSuffix(SUFFIX)
            .withIgnoreWindowing();
    if (numShards > 0) {
      write = write.withNumShards(numShards);
    }
    return rows.apply(
            "ToAvroRecords",
            ParDo.of(
                new ToGenericRecordFn(
                    toRowFunction(),
                    fileSchema,
                    AvroUtils.getRowToGenericRecordFunction(avroSchema))))
        .setCoder(AvroCoder.of(avroSchema))
        .apply("WriteFiles", write);
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(DisplayData.item("prefix", prefix).withLabel("Parquet file prefix"))
        .add(DisplayData.item("numShards", numShards).withLabel("Parquet files (0: runner's)"));
  }

  /**
   * {@link ConnBalRow} through its Beam row, with its fields put in the files' order, into an Avro
   * record of {@link #avroSchema()}.
   */
  private static final class ToGenericRecordFn extends DoFn<ConnBalRow, GenericRecord> {
    private final SerializableFunction<ConnBalRow, Row> toRow;
    private final Schema fileSchema;
    private final SerializableFunction<Row, GenericRecord> toRecord;

    ToGenericRecordFn(
        SerializableFunction<ConnBalRow, Row> toRow,
        Schema fileSchema,
        SerializableFunction<Row, GenericRecord> toRecord) {
      this.toRow = toRow;
      this.fileSchema = fileSchema;
      this.toRecord = toRecord;
    }

    @ProcessElement
    public void process(@Element ConnBalRow element, OutputReceiver<GenericRecord> out) {
      Row row = toRow.apply(element);
      List<Object> values = new ArrayList<>(fileSchema.getFieldCount());
      for (Schema.Field field : fileSchema.getFields()) {
        values.add(row.getValue(field.getName()));
      }
      out.output(toRecord.apply(Row.withSchema(fileSchema).attachValues(values)));
    }
  }

  /** The directory and file-name prefix that PREFIX names. */
  private static final class Target {
    final ResourceId directory;
    final String filePrefix;

    private Target(ResourceId directory, String filePrefix) {
      this.directory = directory;
      this.filePrefix = filePrefix;
    }

    static Target of(String prefix) {
      ResourceId file = OutputPrefix.resolve(prefix, "");
      return new Target(file.getCurrentDirectory(), file.getFilename());
    }
  }

  /** {@link ConnBalRow}'s Beam schema, whose field order {@code @SchemaFieldNumber} fixes. */
  static Schema fileRowSchema() {
    try {
      return SchemaRegistry.createDefault().getSchema(ConnBalRow.class);
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException("ConnBalRow has a @DefaultSchema", e);
    }
  }

  private static org.apache.avro.Schema toAvro(Schema fileSchema) {
    return AvroUtils.toAvroSchema(fileSchema, "ConnBalRow", "dev.connbal");
  }

  /**
   * From a row to its Beam row, by {@link ConnBalRow}'s own schema provider: whatever coder the
   * input has, so that rows without a schema coder (a {@code Create.of} with another coder) are
   * written the same.
   */
  private static SerializableFunction<ConnBalRow, Row> toRowFunction() {
    try {
      return SchemaRegistry.createDefault().getToRowFunction(ConnBalRow.class);
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException("ConnBalRow has a @DefaultSchema", e);
    }
  }
}
