package dev.connbal.bench;

import dev.connbal.snoop.SnoopIO;
import dev.connbal.snoop.SnoopParseResult;
import dev.connbal.snoop.SnoopReadError;
import dev.connbal.snoop.SnoopRecordParser;
import dev.connbal.snoop.SnoopRecordView;
import dev.connbal.transforms.decode.DecodeStats;
import dev.connbal.transforms.decode.DnsMessage;
import dev.connbal.transforms.decode.FrameDecoder;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.VoidCoder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;

/**
 * Parse-only throughput: reads a snoop file with {@link SnoopIO#parseFiles} and runs {@link
 * FrameDecoder} over every record and {@link DnsMessage#decode} over every DNS payload while it is
 * read, on one core, with no shuffle and nothing kept: connbal's read-and-decode stage, which
 * decodes each range's records in place in the same way.
 *
 * <p>It runs on the Direct runner with {@code targetParallelism=1} and its immutability and
 * encodability checks off, as connbal itself runs it, over 64 MiB ranges. Wall time is measured
 * from {@code run()} to the end of {@code waitUntilFinish()}, so JVM start-up and class loading
 * before it are excluded; the process CPU time over the same span is printed too (it includes JIT
 * and GC threads). The stage time is the time the one worker spent inside the ranges (from before
 * each range's file is opened to the range's end, summed): the reading-and-decoding stage itself,
 * without the runner's start, its pipeline rewrites and splitting, which the wall time includes.
 *
 * <pre>ParseThroughput FILE</pre>
 *
 * prints one line of {@code key=value} fields for scripts: bytes, packets, tcpSegments,
 * dnsMessages, dnsMalformed, notIp, noTransportHeader, readErrors, wallSeconds, cpuSeconds,
 * mbPerSecond, packetsPerSecond, stageSeconds, stageMbPerSecond.
 */
public final class ParseThroughput {
  private static final String NAMESPACE = "connbal.bench.parse";

  private ParseThroughput() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: ParseThroughput FILE");
      System.exit(1);
    }
    System.exit(run(Path.of(args[0]), System.out));
  }

  static int run(Path file, PrintStream out) throws Exception {
    long fileBytes = Files.size(file);
    DirectOptions options = PipelineOptionsFactory.create().as(DirectOptions.class);
    options.setRunner(DirectRunner.class);
    options.setTargetParallelism(1);
    options.setEnforceImmutability(false);
    options.setEnforceEncodability(false);
    Pipeline pipeline = Pipeline.create(options);
    SnoopParseResult<Void> read =
        pipeline
            .apply("Match", FileIO.match().filepattern(file.toString()))
            .apply("ReadMatches", FileIO.readMatches())
            .apply("Decode", SnoopIO.parseFiles(new DecodingParser()));
    read.errors().apply("CountReadErrors", ParDo.of(new CountReadErrorsFn()));

    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpuStart = os.getProcessCpuTime();
    long wallStart = System.nanoTime();
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    double wall = (System.nanoTime() - wallStart) / 1e9;
    double cpu = (os.getProcessCpuTime() - cpuStart) / 1e9;

    long packets = counter(result, "packets");
    double stage = counter(result, "rangeNanos") / 1e9;
    out.printf(
        "bytes=%d packets=%d tcpSegments=%d dnsMessages=%d dnsMalformed=%d notIp=%d noTransportHeader=%d"
            + " readErrors=%d wallSeconds=%.3f cpuSeconds=%.3f mbPerSecond=%.1f"
            + " packetsPerSecond=%.0f stageSeconds=%.3f stageMbPerSecond=%.1f%n",
        fileBytes,
        packets,
        counter(result, "tcpSegments"),
        counter(result, "dnsMessages"),
        counter(result, "dnsMalformed"),
        counter(result, "notIp"),
        counter(result, "noTransportHeader"),
        counter(result, "readErrors"),
        wall,
        cpu,
        fileBytes / wall / 1e6,
        packets / wall,
        stage,
        fileBytes / stage / 1e6);
    return counter(result, "readErrors") == 0 ? 0 : 2;
  }

  private static long counter(PipelineResult result, String name) {
    long total = 0;
    for (MetricResult<Long> c :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(NAMESPACE, name))
                    .build())
            .getCounters()) {
      total += c.getAttempted();
    }
    return total;
  }

  /** Decodes every frame and every DNS payload in place; counts per range, publishes at its end. */
  static final class DecodingParser extends SnoopRecordParser<Void> {
    private static final long serialVersionUID = 1L;
    private static final Counter PACKETS = Metrics.counter(NAMESPACE, "packets");
    private static final Counter TCP = Metrics.counter(NAMESPACE, "tcpSegments");
    private static final Counter DNS = Metrics.counter(NAMESPACE, "dnsMessages");
    private static final Counter DNS_MALFORMED = Metrics.counter(NAMESPACE, "dnsMalformed");
    private static final Counter NOT_IP = Metrics.counter(NAMESPACE, "notIp");
    private static final Counter NO_TRANSPORT_HEADER =
        Metrics.counter(NAMESPACE, "noTransportHeader");
    private static final Counter RANGE_NANOS = Metrics.counter(NAMESPACE, "rangeNanos");

    @Override
    public Coder<Void> getOutputCoder() {
      return VoidCoder.of();
    }

    @Override
    public RangeParser startRange(RangeContext context, Consumer<Void> output) {
      CountingVisitor visitor = new CountingVisitor();
      DecodeStats stats = new DecodeStats();
      long start = System.nanoTime();
      return new RangeParser() {
        @Override
        public void record(SnoopRecordView r) {
          FrameDecoder.decode(r, visitor, stats);
        }

        @Override
        public void finish() {
          PACKETS.inc(stats.frames);
          TCP.inc(visitor.tcpSegments);
          DNS.inc(visitor.dnsMessages);
          DNS_MALFORMED.inc(visitor.dnsMalformed);
          NOT_IP.inc(stats.notIp);
          NO_TRANSPORT_HEADER.inc(stats.noTransportHeader);
          RANGE_NANOS.inc(System.nanoTime() - start);
        }
      };
    }
  }

  /** Read errors are counted, never ignored: a throughput over a misread file means nothing. */
  static final class CountReadErrorsFn extends DoFn<SnoopReadError, Void> {
    private static final Counter READ_ERRORS = Metrics.counter(NAMESPACE, "readErrors");

    @ProcessElement
    public void process(@Element SnoopReadError error) {
      READ_ERRORS.inc();
      System.err.println("ParseThroughput: " + error.message());
    }
  }
}
