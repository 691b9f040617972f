package dev.connbal.pipeline;

import dev.connbal.transforms.ConnBal;
import dev.connbal.transforms.output.IpFormat;
import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The options of a connbal run. The command line's short flags ({@code -a}, {@code -f}, {@code -F},
 * {@code -o}) are parsed by {@link CommandLine} and stored here, so that every runner sees the
 * whole configuration in one serializable place; every other Beam option passes through.
 */
public interface ConnBalOptions extends PipelineOptions {

  @Description(
      "Capture files to read: local paths, globs or URIs of any Beam FileSystem"
          + " (s3://bucket/*.snoop)."
          + " Empty: read one snoop stream from stdin.")
  List<String> getInputs();

  void setInputs(List<String> value);

  @Description("Count every TCP stream, also those open before the capture began (-a).")
  @Default.Boolean(false)
  boolean getAllStreams();

  void setAllStreams(boolean value);

  @Description("Only DNS queries whose name contains this substring (case-insensitive) (-F).")
  String getNameFilter();

  void setNameFilter(String value);

  @Description(
      "Write the rows to PREFIX.tsv (.csv, .jsonl; PREFIX*.parquet) on any Beam FileSystem"
          + " instead of stdout; a PREFIX naming a directory writes connbal.tsv (...) inside it"
          + " (-o).")
  String getOutput();

  void setOutput(String value);

  @Description("Desired size in bytes of the ranges each capture file is split into for reading.")
  @Default.Long(64L << 20)
  long getSplitSize();

  void setSplitSize(long value);

  @Description(
      "How many keys the analysis spreads its shuffles over; the output does not depend on it."
          + " Default: 256, or 4 per worker thread on the Direct runner.")
  @Default.Integer(256)
  int getShardCount();

  void setShardCount(int value);

  @Description(
      "How many shards of clients the DNS timeline runs in; the output does not depend on it."
          + " Default: 1 on the Direct runner, 32 per slot on Flink, 256 when a cluster"
          + " decides the parallelism.")
  @Default.Integer(ConnBal.DEFAULT_TIMELINE_SHARD_COUNT)
  int getTimelineShards();

  void setTimelineShards(int value);

  @Description("How IPv4 addresses print: PADDED (010.000.001.002, sorts with sort -n) or PLAIN.")
  @Default.Enum("PADDED")
  IpFormat getIpFormat();

  void setIpFormat(IpFormat value);

  @Description(
      "What the rows are written as: TSV (the default), CSV, JSONL or PARQUET (which needs an"
          + " output prefix).")
  @Default.Enum("TSV")
  OutputFormat getFormat();

  void setFormat(OutputFormat value);

  @Description("Start the TSV with a line naming the columns.")
  @Default.Boolean(false)
  boolean getHeader();

  void setHeader(boolean value);

  @Description(
      "Write the balance summary, a TSV worst first: on stdout instead of the rows, or with an"
          + " output prefix to PREFIX.summary.tsv beside them (--summary).")
  @Default.Boolean(false)
  boolean getSummary();

  void setSummary(boolean value);

  @Description(
      "Also write the balance report, one self-contained HTML file, to this path on any Beam"
          + " FileSystem (--report).")
  String getReport();

  void setReport(String value);

  @Description(
      "Address S3 buckets path-style (http://endpoint/bucket/key), as S3Proxy, MinIO and Ceph"
          + " need.")
  @Default.Boolean(false)
  boolean getS3PathStyle();

  void setS3PathStyle(boolean value);

  @Description(
      "Rows per tumbling window of capture time of this many milliseconds, aligned to the epoch,"
          + " each row starting with its window's start (--window=DURATION). Unset: one result.")
  Long getWindowMillis();

  void setWindowMillis(Long value);

  @Description(
      "Watch the capture patterns for new captures instead of reading them once (--watch).")
  @Default.Boolean(false)
  boolean getWatch();

  void setWatch(boolean value);

  @Description("How often, in milliseconds, --watch looks for new captures (--poll-interval).")
  @Default.Long(10_000L)
  long getPollIntervalMillis();

  void setPollIntervalMillis(long value);

  @Description(
      "End a --watch after this many milliseconds without a new capture (--watch-until);"
          + " unset: watch until interrupted.")
  Long getWatchUntilMillis();

  void setWatchUntilMillis(Long value);
}
