package dev.connbal.transforms;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import com.google.auto.value.AutoValue;
import dev.connbal.snoop.SnoopIO;
import dev.connbal.snoop.SnoopParseResult;
import dev.connbal.snoop.SnoopReadError;
import dev.connbal.snoop.SnoopRecordParser;
import dev.connbal.snoop.WholeRun;
import dev.connbal.transforms.count.BackendPort;
import dev.connbal.transforms.count.CountStreamsFn;
import dev.connbal.transforms.count.JoinRowsFn;
import dev.connbal.transforms.count.WaitForBackendTableFn;
import dev.connbal.transforms.decode.DnsName;
import dev.connbal.transforms.decode.DnsNameCoder;
import dev.connbal.transforms.events.DnsAndSynParser;
import dev.connbal.transforms.events.DnsPartial;
import dev.connbal.transforms.events.StreamFragmentsParser;
import dev.connbal.transforms.events.SynBatch;
import dev.connbal.transforms.keys.ClientBackend;
import dev.connbal.transforms.keys.Shards;
import dev.connbal.transforms.report.ReadErrorReportFn;
import dev.connbal.transforms.report.RunReport;
import dev.connbal.transforms.report.SumRunReportsFn;
import dev.connbal.transforms.tcpdns.ReassembleTcpDnsFn;
import dev.connbal.transforms.tcpdns.TcpDnsSegment;
import dev.connbal.transforms.timeline.BackendFacts;
import dev.connbal.transforms.timeline.BackendTable;
import dev.connbal.transforms.timeline.CompleteSrvKnowledge;
import dev.connbal.transforms.timeline.FilterSrvEventsFn;
import dev.connbal.transforms.timeline.LearnSrvFn;
import dev.connbal.transforms.timeline.RunDnsTimelineFn;
import dev.connbal.transforms.timeline.SrvKnowledge;
import dev.connbal.transforms.window.ReassembleTcpDnsInTimeFn;
import dev.connbal.transforms.window.RunAllStreamsInTime;
import dev.connbal.transforms.window.RunShardTimelines;
import dev.connbal.transforms.window.TimedEvent;
import dev.connbal.transforms.window.TimedEventsParser;
import dev.connbal.transforms.wire.BackendFactsCoder;
import dev.connbal.transforms.wire.BackendPortCoder;
import dev.connbal.transforms.wire.BackendTableCoder;
import dev.connbal.transforms.wire.ClientBackendCoder;
import dev.connbal.transforms.wire.RunReportCoder;
import dev.connbal.transforms.wire.SrvKnowledgeCoder;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.ReadableFileCoder;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * connbal's analysis as Beam transforms: from snoop captures to SEMANTICS.md's rows, one per
 * (client, backend, port), with the run report and the read errors.
 *
 * <pre>{@code
 * ConnBalResult result =
 *     pipeline.apply(ConnBal.analyze().withNameFilter("example.com").from("/captures/*.snoop"));
 * result.rows()                                  // PCollection<ConnBalRow>, with a schema
 *     .apply(Documents.tsv(IpFormat.PADDED))     // or Beam SQL, ParquetIO, BigQueryIO...
 *     .apply(TextIO.write().to("balance").withSuffix(".tsv").withoutSharding());
 * }</pre>
 *
 * <p>{@link #analyze()} is made of stages that are public transforms of their own, named in the
 * pipeline graph: {@link ExtractEvents}, {@link RunDnsTimeline}, {@link CountStreams} (all-streams
 * mode only) and {@link CountConnections}; their intermediate outputs are {@code PCollectionTuple}s
 * under the stages' public tags.
 *
 * <p>Pass 1 reads the captures (see docs/ARCHITECTURE.md): it keeps the DNS messages, which run in
 * timeline order through the query matching and backend rules, one timeline per shard of clients
 * after a learning pass over the few events of SRV names has made the run's SRV knowledge (the one
 * thing clients share), and in the default mode every opening SYN with its time, batched by shard
 * of (client, server) pairs; each shard's SYNs meet the DNS facts of its pairs in the join, which
 * counts them. The all-streams mode needs every packet of the streams between known pairs, so it
 * reads the captures a second time, against the finished backend table (a side input). Reads decode
 * frames in place ({@link SnoopIO#parseFiles}): what leaves a range of a capture is a few
 * aggregates (DNS events, SYN batches per shard, stream fragments), never one element per packet.
 *
 * <p>Shuffles that would be keyed by something as fine as a connection attempt, a 4-tuple or a
 * (client, backend) pair are keyed by a shard of it instead ({@link Shards}), and each shard's
 * group is aggregated per fine key in memory: the number of shuffle keys stays at most the shard
 * count ({@link Analyze#withShardCount}) whatever the capture (the Direct runner pays per key), and
 * a group holds only its share of the keys. Connections are counted, never listed: per (client,
 * backend, port).
 *
 * <p>No side input of the analysis is ever empty, and nothing relies on a default value: the
 * timeline always gets one partial without events (so the backend table of the all-streams mode
 * always has its one element), the report always gets an all-zero part, and {@link
 * dev.connbal.transforms.output.Documents} always gets one batch without rows (instead of {@code
 * Combine.globally}'s default, which reads the combined value through a side input). Beam 2.62's
 * Direct runner learns that an empty side input is ready from a watermark callback that does not
 * wake its executor: when the callback came after the executor had gone quiescent, the element
 * waiting for the side input was never retried and the run spun forever.
 */
public final class ConnBal {
  private ConnBal() {}

  /** The DNS timeline's shards of clients unless {@link Analyze#withTimelineShardCount} is used. */
  public static final int DEFAULT_TIMELINE_SHARD_COUNT = Shards.DEFAULT_TIMELINE_COUNT;

  /**
   * How many times the analysis reads each capture: once, or twice in the all-streams mode (-a),
   * whose second pass reads TCP against the finished backend table.
   */
  public static int readPasses(boolean allStreams) {
    return allStreams ? 2 : 1;
  }

  /**
   * The whole analysis with defaults (new connections only, no name filter): {@link
   * #extractEvents}, {@link #runDnsTimeline}, in the all-streams mode {@link #countStreams}, and
   * {@link #countConnections}, with the run report.
   */
  public static Analyze analyze() {
    return new AutoValue_ConnBal_Analyze.Builder()
        .setAllStreams(false)
        .setShardCount(Shards.DEFAULT_COUNT)
        .setTimelineShardCount(Shards.DEFAULT_TIMELINE_COUNT)
        .build();
  }

  /** Stage 1, pass 1 over the captures: see {@link ExtractEvents}. */
  public static ExtractEvents extractEvents() {
    return new AutoValue_ConnBal_ExtractEvents.Builder()
        .setCollectSyns(true)
        .setShardCount(Shards.DEFAULT_COUNT)
        .setTimelineShardCount(Shards.DEFAULT_TIMELINE_COUNT)
        .build();
  }

  /** Stage 2, the DNS rules in timeline order: see {@link RunDnsTimeline}. */
  public static RunDnsTimeline runDnsTimeline() {
    return new AutoValue_ConnBal_RunDnsTimeline.Builder()
        .setTimelineShardCount(1)
        .setBackendTable(false)
        .build();
  }

  /** The all-streams mode's second pass over the captures: see {@link CountStreams}. */
  public static CountStreams countStreams(PCollectionView<Iterable<BackendTable>> backendTable) {
    checkArgument(backendTable != null, "backend table must not be null");
    return new AutoValue_ConnBal_CountStreams.Builder()
        .setBackendTable(backendTable)
        .setShardCount(Shards.DEFAULT_COUNT)
        .build();
  }

  /** Stage 3, DNS facts joined with connections into rows: see {@link CountConnections}. */
  public static CountConnections countConnections() {
    return new AutoValue_ConnBal_CountConnections.Builder()
        .setShardCount(Shards.DEFAULT_COUNT)
        .build();
  }

  /** Implementation of {@link #analyze()}. */
  @AutoValue
  public abstract static class Analyze
      extends PTransform<PCollection<FileIO.ReadableFile>, ConnBalResult> {
    abstract boolean allStreams();

    abstract @Nullable String nameFilter();

    abstract @Nullable Long desiredSplitSize();

    abstract int shardCount();

    abstract int timelineShardCount();

    abstract @Nullable Duration window();

    abstract Builder toBuilder();

    /**
     * Counts every TCP stream (also those already open when the capture began), not only new SYNs:
     * SEMANTICS.md's all-streams mode (-a).
     */
    public Analyze withAllStreams(boolean allStreams) {
      return toBuilder().setAllStreams(allStreams).build();
    }

    /** Only queries whose name contains {@code filter} (ASCII case-insensitive) are looked at. */
    public Analyze withNameFilter(String filter) {
      checkArgument(filter != null && !filter.isEmpty(), "name filter must be a non-empty string");
      return toBuilder().setNameFilter(filter).build();
    }

    /** Split size for reading the captures (default: SnoopIO's); at least SnoopIO's minimum. */
    public Analyze withDesiredSplitSize(long bytes) {
      return toBuilder().setDesiredSplitSize(SnoopIO.checkDesiredSplitSize(bytes)).build();
    }

    /**
     * How many keys the shuffles of SYNs (or streams) and of the join spread over (default {@value
     * Shards#DEFAULT_COUNT}); the output does not depend on it. Many suit distributed runners; the
     * Direct runner, which pays per key and step, is faster with a few per worker thread.
     */
    public Analyze withShardCount(int count) {
      checkArgument(count >= 1, "shard count must be at least 1, got %s", count);
      return toBuilder().setShardCount(count).build();
    }

    /**
     * How many shards of clients the DNS timeline runs in (default {@value
     * Shards#DEFAULT_TIMELINE_COUNT}); the output does not depend on it. With one, a single
     * timeline sees every DNS event and learns SRV answers as it goes; with more, each sees its
     * clients' events (on a cluster, no task has more than its share), after a learning pass over
     * the few events of SRV names.
     */
    public Analyze withTimelineShardCount(int count) {
      checkArgument(count >= 1, "timeline shard count must be at least 1, got %s", count);
      return toBuilder().setTimelineShardCount(count).build();
    }

    /**
     * Rows per tumbling window of capture time ({@code window}, a whole number of milliseconds;
     * SEMANTICS.md "Windows"), for captures read at once or as they arrive: {@link
     * ConnBalResult#rows()} are then in fixed windows, each window's rows written when every
     * capture that can still hold packets of it is read, and again with late ones ({@link
     * RunShardTimelines}); with the all-streams mode, each stream counts in the window of its first
     * counted packet ({@link RunAllStreamsInTime}).
     */
    public Analyze withWindow(Duration window) {
      checkArgument(
          window != null && window.getMillis() > 0, "window must be positive, got %s", window);
      return toBuilder().setWindow(window).build();
    }

    /**
     * The analysis of the captures that match {@code filepattern} (any Beam FileSystem), applied to
     * the pipeline's beginning: {@code pipeline.apply(ConnBal.analyze().from("s3://b/*.snoop"))}.
     */
    public PTransform<PBegin, ConnBalResult> from(String filepattern) {
      checkArgument(
          filepattern != null && !filepattern.isEmpty(), "file pattern must be a non-empty string");
      Analyze analyze = this;
      return new PTransform<PBegin, ConnBalResult>() {
        @Override
        public ConnBalResult expand(PBegin begin) {
          return begin
              .apply("MatchCaptures", FileIO.match().filepattern(filepattern))
              .apply("OpenCaptures", FileIO.readMatches())
              .apply("Analyze", analyze);
        }

        @Override
        public void populateDisplayData(DisplayData.Builder builder) {
          super.populateDisplayData(builder);
          builder.add(DisplayData.item("filePattern", filepattern).withLabel("Captures"));
          builder.include("analysis", analyze);
        }
      };
    }

    @Override
    public void populateDisplayData(DisplayData.Builder builder) {
      super.populateDisplayData(builder);
      builder
          .add(DisplayData.item("allStreams", allStreams()).withLabel("Count all TCP streams (-a)"))
          .addIfNotNull(DisplayData.item("nameFilter", nameFilter()).withLabel("Query name filter"))
          .add(DisplayData.item("shardCount", shardCount()).withLabel("Shuffle keys"))
          .add(
              DisplayData.item("timelineShardCount", timelineShardCount())
                  .withLabel("DNS timeline shards"))
          .addIfNotNull(
              DisplayData.item("desiredSplitSize", desiredSplitSize())
                  .withLabel("Desired split size (bytes)"))
          .addIfNotNull(DisplayData.item("window", window()).withLabel("Window of capture time"));
    }

    @Override
    public ConnBalResult expand(PCollection<FileIO.ReadableFile> files) {
      if (window() != null) {
        return expandWindowed(files);
      }
      ExtractEvents extract =
          extractEvents()
              .withCollectSyns(!allStreams())
              .withShardCount(shardCount())
              .withTimelineShardCount(timelineShardCount());
      if (nameFilter() != null) {
        extract = extract.withNameFilter(nameFilter());
      }
      if (desiredSplitSize() != null) {
        extract = extract.withDesiredSplitSize(desiredSplitSize());
      }
      PCollectionTuple events = files.apply("ExtractEvents", extract);
      PCollectionTuple dns =
          events.apply(
              "RunDnsTimeline",
              runDnsTimeline()
                  .withTimelineShardCount(timelineShardCount())
                  .withBackendTable(allStreams()));

      PCollectionTuple factsAndConns =
          PCollectionTuple.of(RunDnsTimeline.FACTS, dns.get(RunDnsTimeline.FACTS));
      if (allStreams()) {
        // In pieces: as one element, the table would pass a sort (a singleton view combines) and
        // outgrow Flink's sort buffers on DNS-heavy runs. Never empty: shard 0 always outputs one.
        PCollectionView<Iterable<BackendTable>> backendTable =
            dns.get(RunDnsTimeline.BACKEND_TABLE).apply("BackendTableView", View.asIterable());
        CountStreams streams = countStreams(backendTable).withShardCount(shardCount());
        if (desiredSplitSize() != null) {
          streams = streams.withDesiredSplitSize(desiredSplitSize());
        }
        factsAndConns =
            factsAndConns.and(CountStreams.STREAM_COUNTS, files.apply("CountStreams", streams));
      } else {
        factsAndConns =
            factsAndConns.and(ExtractEvents.SYN_BATCHES, events.get(ExtractEvents.SYN_BATCHES));
      }
      PCollection<ConnBalRow> rows =
          factsAndConns.apply("CountConnections", countConnections().withShardCount(shardCount()));

      PCollection<SnoopReadError> errors = events.get(ExtractEvents.READ_ERRORS);
      PCollection<RunReport> report =
          report(
              dns.get(RunDnsTimeline.REPORT), errors, events.get(ExtractEvents.FILES_WITH_ERRORS));
      return new ConnBalResult(files.getPipeline(), rows, report, errors);
    }

    /** The analysis with windows: pass 1 as timed events, then the shards' timelines. */
    private ConnBalResult expandWindowed(PCollection<FileIO.ReadableFile> files) {
      Shards shards = new Shards(timelineShardCount());
      SnoopParseResult<KV<Integer, TimedEvent>> pass1 =
          files.apply(
              "ReadCaptures",
              parse(
                  allStreams()
                      ? TimedEventsParser.allStreams(nameFilter(), shards)
                      : new TimedEventsParser(nameFilter(), shards),
                  desiredSplitSize()));
      PCollection<KV<String, TcpDnsSegment>> segments =
          pass1.output(TimedEventsParser.TCP_DNS_SEGMENTS);
      PCollectionTuple tcpDns =
          segments.apply(
              "ReassembleTcpDnsInTime",
              ParDo.of(
                      new ReassembleTcpDnsInTimeFn(
                          nameFilter(),
                          new Shards(timelineShardCount()),
                          segments.isBounded() == PCollection.IsBounded.BOUNDED))
                  .withOutputTags(
                      ReassembleTcpDnsInTimeFn.EVENTS,
                      TupleTagList.of(ReassembleTcpDnsInTimeFn.REPORT)));
      tcpDns.get(ReassembleTcpDnsInTimeFn.EVENTS).setCoder(pass1.outputs().getCoder());
      tcpDns.get(ReassembleTcpDnsInTimeFn.REPORT).setCoder(RunReportCoder.of());
      PCollection<KV<Integer, TimedEvent>> events =
          PCollectionList.of(pass1.outputs())
              .and(tcpDns.get(ReassembleTcpDnsInTimeFn.EVENTS))
              .apply("UdpAndTcpTimedEvents", Flatten.pCollections());
      PCollectionTuple timelines =
          allStreams()
              ? PCollectionTuple.of(RunAllStreamsInTime.DNS_EVENTS, events)
                  .and(
                      RunAllStreamsInTime.STREAM_PACKETS,
                      pass1.output(TimedEventsParser.STREAM_PACKETS))
                  .apply("RunAllStreamsInTime", RunAllStreamsInTime.of(window(), shards))
              : events.apply("RunShardTimelines", RunShardTimelines.of(window()));
      PCollection<RunReport> parts =
          PCollectionList.of(timelines.get(RunShardTimelines.REPORT))
              .and(pass1.output(TimedEventsParser.REPORT))
              .and(tcpDns.get(ReassembleTcpDnsInTimeFn.REPORT))
              .apply("TimelineAndRangeReports", Flatten.pCollections());
      PCollection<RunReport> report = report(parts, pass1.errors(), pass1.filesWithErrors());
      return new ConnBalResult(
          files.getPipeline(), timelines.get(RunShardTimelines.ROWS), report, pass1.errors());
    }

    private static PCollection<RunReport> report(
        PCollection<RunReport> timelineReports,
        PCollection<SnoopReadError> errors,
        PCollection<String> filesWithErrorsOnce) {
      PCollection<RunReport> readErrors =
          errors
              .apply("ReadErrorCounts", ParDo.of(new ReadErrorReportFn()))
              .setCoder(RunReportCoder.of());
      PCollection<RunReport> filesWithErrors =
          filesWithErrorsOnce
              .apply(
                  "FileWithErrors",
                  MapElements.into(TypeDescriptor.of(RunReport.class))
                      .via(file -> RunReport.builder().setFilesWithErrors(1).build()))
              .setCoder(RunReportCoder.of());
      // One all-zero part guarantees a report even for an input with nothing in it, without
      // Combine's default value (see the class comment).
      PCollection<RunReport> parts =
          PCollectionList.of(timelineReports.apply("TimelinesWholeRun", WholeRun.of()))
              .and(readErrors.apply("ReadErrorsWholeRun", WholeRun.of()))
              .and(filesWithErrors)
              .apply("AllReportParts", Flatten.pCollections());
      return parts
          .apply("ZeroReport", WithOneMore.element(RunReport.empty()))
          .apply("RunReport", Combine.globally(new SumRunReportsFn()).withoutDefaults())
          .setCoder(RunReportCoder.of());
    }

    /** Builder for {@link Analyze}. */
    @AutoValue.Builder
    abstract static class Builder {
      abstract Builder setAllStreams(boolean allStreams);

      abstract Builder setNameFilter(String nameFilter);

      abstract Builder setDesiredSplitSize(Long bytes);

      abstract Builder setShardCount(int count);

      abstract Builder setTimelineShardCount(int count);

      abstract Builder setWindow(Duration window);

      abstract Analyze build();
    }
  }

  /**
   * Pass 1 over the captures ({@code SnoopIO.parseFiles}, frames decoded in place): the DNS
   * messages as events keyed by shard of clients ({@link #DNS_EVENTS}; those of query names that
   * responses answer with SRV records apart, in {@link #SRV_EVENTS}, with the names in {@link
   * #SRV_NAMES}), every opening SYN with its time in batches keyed by shard of (client, server)
   * pairs ({@link #SYN_BATCHES}; empty {@link #withCollectSyns without them}), and the read errors
   * ({@link #READ_ERRORS}, and {@link #FILES_WITH_ERRORS}). What leaves a range of a capture is a
   * few aggregates, never one element per packet, but for the TCP segments to or from port 53:
   * those of a stream are grouped, whichever ranges and files hold them, put back together into DNS
   * messages ({@link ReassembleTcpDnsFn}) and join the UDP messages in {@link #DNS_EVENTS} and
   * {@link #SRV_NAMES}.
   */
  @AutoValue
  public abstract static class ExtractEvents
      extends PTransform<PCollection<FileIO.ReadableFile>, PCollectionTuple> {
    /** DNS events, each partial holding one range's events of one shard of clients. */
    public static final TupleTag<KV<Integer, DnsPartial>> DNS_EVENTS =
        new TupleTag<>("dnsEvents") {};

    /** The events of query names that a response answered with SRV records. */
    public static final TupleTag<KV<Integer, DnsPartial>> SRV_EVENTS = DnsAndSynParser.SRV_EVENTS;

    /** Per range, the query names that a response answered with SRV records. */
    public static final TupleTag<List<DnsName>> SRV_NAMES = DnsAndSynParser.SRV_NAMES;

    /** Opening SYNs, batched by shard of (client, server) pairs. */
    public static final TupleTag<KV<Integer, SynBatch>> SYN_BATCHES = DnsAndSynParser.SYNS;

    /** The read errors of the captures (each names its file). */
    public static final TupleTag<SnoopReadError> READ_ERRORS = new TupleTag<>("readErrors") {};

    /** The files with at least one read error, each once. */
    public static final TupleTag<String> FILES_WITH_ERRORS = new TupleTag<>("filesWithErrors") {};

    abstract boolean collectSyns();

    abstract @Nullable String nameFilter();

    abstract @Nullable Long desiredSplitSize();

    abstract int shardCount();

    abstract int timelineShardCount();

    abstract Builder toBuilder();

    /** Whether SYN batches are collected (the default mode); not for the all-streams mode. */
    public ExtractEvents withCollectSyns(boolean collect) {
      return toBuilder().setCollectSyns(collect).build();
    }

    /** Only queries whose name contains {@code filter} (ASCII case-insensitive) are looked at. */
    public ExtractEvents withNameFilter(String filter) {
      checkArgument(filter != null && !filter.isEmpty(), "name filter must be a non-empty string");
      return toBuilder().setNameFilter(filter).build();
    }

    /** Split size for reading the captures (default: SnoopIO's); at least SnoopIO's minimum. */
    public ExtractEvents withDesiredSplitSize(long bytes) {
      return toBuilder().setDesiredSplitSize(SnoopIO.checkDesiredSplitSize(bytes)).build();
    }

    /** Shards of (client, server) pairs for the SYN batches: {@link CountConnections}' count. */
    public ExtractEvents withShardCount(int count) {
      checkArgument(count >= 1, "shard count must be at least 1, got %s", count);
      return toBuilder().setShardCount(count).build();
    }

    /** Shards of clients for the DNS events: {@link RunDnsTimeline}'s count. */
    public ExtractEvents withTimelineShardCount(int count) {
      checkArgument(count >= 1, "timeline shard count must be at least 1, got %s", count);
      return toBuilder().setTimelineShardCount(count).build();
    }

    @Override
    public PCollectionTuple expand(PCollection<FileIO.ReadableFile> files) {
      SnoopParseResult<KV<Integer, DnsPartial>> pass1 =
          files.apply(
              "ReadCaptures",
              parse(
                  new DnsAndSynParser(
                      nameFilter(),
                      collectSyns() ? new Shards(shardCount()) : null,
                      new Shards(timelineShardCount())),
                  desiredSplitSize()));
      PCollectionTuple tcpDns =
          pass1
              .output(DnsAndSynParser.TCP_DNS_SEGMENTS)
              .apply("GroupTcpDnsByStream", GroupByKey.create())
              .apply(
                  "ReassembleTcpDns",
                  ParDo.of(
                          new ReassembleTcpDnsFn(
                              nameFilter(), new Shards(timelineShardCount()), SRV_NAMES))
                      .withOutputTags(ReassembleTcpDnsFn.MAIN, TupleTagList.of(SRV_NAMES)));
      tcpDns.get(ReassembleTcpDnsFn.MAIN).setCoder(DnsAndSynParser.partialsCoder());
      tcpDns.get(SRV_NAMES).setCoder(ListCoder.of(DnsNameCoder.of()));
      return PCollectionTuple.of(
              DNS_EVENTS,
              PCollectionList.of(pass1.outputs())
                  .and(tcpDns.get(ReassembleTcpDnsFn.MAIN))
                  .apply("UdpAndTcpDnsEvents", Flatten.pCollections()))
          .and(SRV_EVENTS, pass1.output(SRV_EVENTS))
          .and(
              SRV_NAMES,
              PCollectionList.of(pass1.output(SRV_NAMES))
                  .and(tcpDns.get(SRV_NAMES))
                  .apply("UdpAndTcpSrvNames", Flatten.pCollections()))
          .and(SYN_BATCHES, pass1.output(SYN_BATCHES))
          .and(READ_ERRORS, pass1.errors())
          .and(FILES_WITH_ERRORS, pass1.filesWithErrors());
    }

    @Override
    public void populateDisplayData(DisplayData.Builder builder) {
      super.populateDisplayData(builder);
      builder
          .add(DisplayData.item("collectSyns", collectSyns()).withLabel("Collect opening SYNs"))
          .addIfNotNull(DisplayData.item("nameFilter", nameFilter()).withLabel("Query name filter"))
          .add(DisplayData.item("shardCount", shardCount()).withLabel("SYN batch shards"))
          .add(
              DisplayData.item("timelineShardCount", timelineShardCount())
                  .withLabel("DNS event shards"))
          .addIfNotNull(
              DisplayData.item("desiredSplitSize", desiredSplitSize())
                  .withLabel("Desired split size (bytes)"));
    }

    /** Builder for {@link ExtractEvents}. */
    @AutoValue.Builder
    abstract static class Builder {
      abstract Builder setCollectSyns(boolean collect);

      abstract Builder setNameFilter(String nameFilter);

      abstract Builder setDesiredSplitSize(Long bytes);

      abstract Builder setShardCount(int count);

      abstract Builder setTimelineShardCount(int count);

      abstract ExtractEvents build();
    }
  }

  /**
   * The DNS rules of SEMANTICS.md in timeline order, over {@link ExtractEvents}' {@code
   * DNS_EVENTS}, {@code SRV_EVENTS} and {@code SRV_NAMES}: one timeline per shard of clients, which
   * takes the run's SRV knowledge (the one thing clients share) from a learning pass over the few
   * events of SRV names when there are several shards. Outputs what DNS taught about each (client,
   * backend) pair ({@link #FACTS}), the backend table's parts ({@link #BACKEND_TABLE}, empty unless
   * {@link #withBackendTable}) and the timelines' report parts ({@link #REPORT}).
   */
  @AutoValue
  public abstract static class RunDnsTimeline
      extends PTransform<PCollectionTuple, PCollectionTuple> {
    /** Per (client, backend) pair, what DNS taught about it. */
    public static final TupleTag<KV<ClientBackend, BackendFacts>> FACTS = RunDnsTimelineFn.FACTS;

    /**
     * Pieces of the backend table ({@link BackendTable#piecesOfFacts}), whose union the all-streams
     * mode reads TCP against; shard 0 outputs at least one.
     */
    public static final TupleTag<BackendTable> BACKEND_TABLE = RunDnsTimelineFn.TABLE;

    /** The timelines' counts for the run report. */
    public static final TupleTag<RunReport> REPORT = RunDnsTimelineFn.REPORT;

    abstract int timelineShardCount();

    abstract boolean backendTable();

    abstract Builder toBuilder();

    /** The shards of clients the events were keyed by: {@link ExtractEvents}' count. */
    public RunDnsTimeline withTimelineShardCount(int count) {
      checkArgument(count >= 1, "timeline shard count must be at least 1, got %s", count);
      return toBuilder().setTimelineShardCount(count).build();
    }

    /** Whether {@link #BACKEND_TABLE} is made (the all-streams mode needs it). */
    public RunDnsTimeline withBackendTable(boolean table) {
      return toBuilder().setBackendTable(table).build();
    }

    @Override
    public PCollectionTuple expand(PCollectionTuple events) {
      PCollection<KV<Integer, DnsPartial>> dnsPartials = events.get(ExtractEvents.DNS_EVENTS);
      PCollection<KV<Integer, DnsPartial>> srvPartials = events.get(ExtractEvents.SRV_EVENTS);
      PCollectionView<Iterable<SrvKnowledge>> srvKnowledge =
          timelineShardCount() == 1
              ? null
              : learnSrv(
                  events.get(ExtractEvents.SRV_NAMES),
                  dnsPartials,
                  srvPartials,
                  new Shards(timelineShardCount()));
      RunDnsTimelineFn runTimeline = new RunDnsTimelineFn(srvKnowledge, backendTable());
      // One empty partial more, so that shard 0's timeline runs and the backend table has an
      // element even when no range was read: see the class comment.
      PCollectionTuple timeline =
          PCollectionList.of(dnsPartials)
              .and(srvPartials)
              .apply("AllDnsEvents", Flatten.pCollections())
              .apply(
                  "NoDnsEvents",
                  WithOneMore.element(KV.of(0, DnsPartial.of(List.of(), RunReport.empty()))))
              .apply("GroupDnsEventsByClient", GroupByKey.create())
              .apply(
                  "RunDnsTimelines",
                  ParDo.of(runTimeline)
                      .withSideInputs(
                          srvKnowledge == null
                              ? List.<PCollectionView<?>>of()
                              : List.<PCollectionView<?>>of(srvKnowledge))
                      .withOutputTags(FACTS, TupleTagList.of(REPORT).and(BACKEND_TABLE)));
      timeline.get(FACTS).setCoder(KvCoder.of(ClientBackendCoder.of(), BackendFactsCoder.of()));
      timeline.get(BACKEND_TABLE).setCoder(BackendTableCoder.of());
      timeline.get(REPORT).setCoder(RunReportCoder.of());
      return timeline;
    }

    /**
     * The learning pass of a timeline split by client: the events of the run's SRV names (those
     * pass 1 set apart, and those it could not know to, found by the run's list of SRV names),
     * matched per client shard, teach the SRV knowledge ({@link LearnSrvFn}); every client shard's
     * records of a target meet and are completed per span of time, then per target shard ({@link
     * CompleteSrvKnowledge}), and what every shard's timeline consults comes out in pieces.
     */
    private static PCollectionView<Iterable<SrvKnowledge>> learnSrv(
        PCollection<List<DnsName>> srvNameLists,
        PCollection<KV<Integer, DnsPartial>> dnsPartials,
        PCollection<KV<Integer, DnsPartial>> srvPartials,
        Shards targetShards) {
      PCollectionView<List<DnsName>> srvNames =
          srvNameLists
              .apply("NoSrvNames", WithOneMore.element(List.<DnsName>of()))
              .apply("SrvNames", Combine.globally(RunDnsTimeline::distinctNames).withoutDefaults())
              .setCoder(ListCoder.of(DnsNameCoder.of()))
              .apply("SrvNamesView", View.asSingleton());
      PCollection<KV<Integer, DnsPartial>> moreSrvPartials =
          dnsPartials
              .apply(
                  "FindSrvEvents",
                  ParDo.of(new FilterSrvEventsFn(srvNames)).withSideInputs(srvNames))
              .setCoder(DnsAndSynParser.partialsCoder());
      PCollection<SrvKnowledge> learnt =
          PCollectionList.of(srvPartials)
              .and(moreSrvPartials)
              .apply("AllSrvEvents", Flatten.pCollections())
              .apply("GroupSrvEventsByClient", GroupByKey.create())
              .apply("LearnSrv", ParDo.of(new LearnSrvFn(targetShards)))
              .setCoder(
                  KvCoder.of(
                      KvCoder.of(VarIntCoder.of(), VarLongCoder.of()), SrvKnowledgeCoder.of()))
              .apply("GroupSrvKnowledgeBySpan", GroupByKey.create())
              .apply("CompleteSrvSpans", ParDo.of(new CompleteSrvKnowledge.SpanFn()))
              .setCoder(KvCoder.of(VarIntCoder.of(), SrvKnowledgeCoder.of()))
              .apply("GroupSrvKnowledgeByTarget", GroupByKey.create())
              .apply("CompleteSrvKnowledge", ParDo.of(new CompleteSrvKnowledge.TargetsFn()))
              .setCoder(SrvKnowledgeCoder.of());
      // Pieces, merged by each timeline: as one element, the knowledge would pass a sort (a
      // singleton view combines), and outgrow Flink's sort buffers on DNS-heavy runs. One empty
      // piece more, so that the view is never empty (see the class comment).
      return learnt
          .apply("NoSrvKnowledge", WithOneMore.element(new SrvKnowledge()))
          .setCoder(SrvKnowledgeCoder.of())
          .apply("SrvKnowledgeView", View.asIterable());
    }

    /** The distinct names of {@code lists}. */
    private static List<DnsName> distinctNames(Iterable<List<DnsName>> lists) {
      Set<DnsName> names = new LinkedHashSet<>();
      lists.forEach(names::addAll);
      return new ArrayList<>(names);
    }

    @Override
    public void populateDisplayData(DisplayData.Builder builder) {
      super.populateDisplayData(builder);
      builder
          .add(
              DisplayData.item("timelineShardCount", timelineShardCount())
                  .withLabel("DNS timeline shards"))
          .add(
              DisplayData.item("backendTable", backendTable()).withLabel("Make the backend table"));
    }

    /** Builder for {@link RunDnsTimeline}. */
    @AutoValue.Builder
    abstract static class Builder {
      abstract Builder setTimelineShardCount(int count);

      abstract Builder setBackendTable(boolean table);

      abstract RunDnsTimeline build();
    }
  }

  /**
   * The all-streams mode's second pass over the captures: TCP between the (client, backend) pairs
   * of the finished backend table (a side input), counted per shard of 4-tuples as SEMANTICS.md's
   * all-streams rules say; the counts per (client, backend, port) leave keyed by {@link
   * CountConnections}' shard of pairs, as {@link #STREAM_COUNTS}.
   */
  @AutoValue
  public abstract static class CountStreams
      extends PTransform<
          PCollection<FileIO.ReadableFile>, PCollection<KV<Integer, KV<BackendPort, Long>>>> {
    /** Stream counts per (client, backend, port), keyed by the join's shard of pairs. */
    public static final TupleTag<KV<Integer, KV<BackendPort, Long>>> STREAM_COUNTS =
        new TupleTag<>("streamCounts") {};

    abstract PCollectionView<Iterable<BackendTable>> backendTable();

    abstract int shardCount();

    abstract @Nullable Long desiredSplitSize();

    abstract Builder toBuilder();

    /** Shards of 4-tuples and of pairs: {@link CountConnections}' count. */
    public CountStreams withShardCount(int count) {
      checkArgument(count >= 1, "shard count must be at least 1, got %s", count);
      return toBuilder().setShardCount(count).build();
    }

    /** Split size for reading the captures (default: SnoopIO's); at least SnoopIO's minimum. */
    public CountStreams withDesiredSplitSize(long bytes) {
      return toBuilder().setDesiredSplitSize(SnoopIO.checkDesiredSplitSize(bytes)).build();
    }

    @Override
    public PCollection<KV<Integer, KV<BackendPort, Long>>> expand(
        PCollection<FileIO.ReadableFile> files) {
      Shards shards = new Shards(shardCount());
      return files
          .apply(
              "WaitForBackendTable",
              ParDo.of(new WaitForBackendTableFn(backendTable())).withSideInputs(backendTable()))
          .setCoder(ReadableFileCoder.of())
          .apply(
              "ReadCapturesForTcp",
              parse(new StreamFragmentsParser(backendTable(), shards), desiredSplitSize()))
          .outputs()
          .apply("GroupStreamsByShard", GroupByKey.create())
          .apply("CountStreams", ParDo.of(new CountStreamsFn()))
          .setCoder(KvCoder.of(BackendPortCoder.of(), VarLongCoder.of()))
          .apply(
              "ShardConns",
              MapElements.into(
                      TypeDescriptors.kvs(
                          TypeDescriptors.integers(),
                          TypeDescriptors.kvs(
                              TypeDescriptor.of(BackendPort.class), TypeDescriptors.longs())))
                  .via(c -> KV.of(shards.ofPair(c.getKey().pair()), c)))
          .setCoder(
              KvCoder.of(VarIntCoder.of(), KvCoder.of(BackendPortCoder.of(), VarLongCoder.of())));
    }

    @Override
    public void populateDisplayData(DisplayData.Builder builder) {
      super.populateDisplayData(builder);
      builder
          .add(DisplayData.item("shardCount", shardCount()).withLabel("Stream shards"))
          .addIfNotNull(
              DisplayData.item("desiredSplitSize", desiredSplitSize())
                  .withLabel("Desired split size (bytes)"));
    }

    /** Builder for {@link CountStreams}. */
    @AutoValue.Builder
    abstract static class Builder {
      abstract Builder setBackendTable(PCollectionView<Iterable<BackendTable>> table);

      abstract Builder setShardCount(int count);

      abstract Builder setDesiredSplitSize(Long bytes);

      abstract CountStreams build();
    }
  }

  /**
   * The join, per shard of (client, backend) pairs, of {@link RunDnsTimeline#FACTS} with the
   * connections: {@link ExtractEvents#SYN_BATCHES} (counted here as SEMANTICS.md's attempts, so
   * that the SYNs wait for nothing but the facts) or, in the all-streams mode, {@link
   * CountStreams#STREAM_COUNTS}. Outputs the rows, one per (client, backend, port); the shard count
   * must be the one the SYN batches or stream counts were keyed with.
   */
  @AutoValue
  public abstract static class CountConnections
      extends PTransform<PCollectionTuple, PCollection<ConnBalRow>> {
    abstract int shardCount();

    abstract Builder toBuilder();

    /** Shards of (client, backend) pairs: the count the connections were keyed with. */
    public CountConnections withShardCount(int count) {
      checkArgument(count >= 1, "shard count must be at least 1, got %s", count);
      return toBuilder().setShardCount(count).build();
    }

    @Override
    public PCollection<ConnBalRow> expand(PCollectionTuple factsAndConns) {
      boolean syns = factsAndConns.has(ExtractEvents.SYN_BATCHES);
      checkArgument(
          syns != factsAndConns.has(CountStreams.STREAM_COUNTS),
          "CountConnections takes either SYN_BATCHES or STREAM_COUNTS, beside FACTS");
      Shards shards = new Shards(shardCount());
      PCollection<KV<Integer, BackendFacts>> factsByShard =
          factsAndConns
              .get(RunDnsTimeline.FACTS)
              .apply(
                  "ShardFacts",
                  MapElements.into(
                          TypeDescriptors.kvs(
                              TypeDescriptors.integers(), TypeDescriptor.of(BackendFacts.class)))
                      .via(f -> KV.of(shards.ofPair(f.getKey()), f.getValue())))
              .setCoder(KvCoder.of(VarIntCoder.of(), BackendFactsCoder.of()));
      KeyedPCollectionTuple<Integer> join =
          KeyedPCollectionTuple.of(JoinRowsFn.FACTS, factsByShard);
      JoinRowsFn joinRows;
      if (syns) {
        join = join.and(JoinRowsFn.SYNS, factsAndConns.get(ExtractEvents.SYN_BATCHES));
        joinRows = JoinRowsFn.countingAttempts();
      } else {
        join = join.and(JoinRowsFn.PORT_CONNS, factsAndConns.get(CountStreams.STREAM_COUNTS));
        joinRows = JoinRowsFn.addingCounts();
      }
      PCollection<ConnBalRow> rows =
          join.apply("JoinFactsAndConns", CoGroupByKey.create()).apply("Rows", ParDo.of(joinRows));
      try {
        return rows.setCoder(
            rows.getPipeline().getSchemaRegistry().getSchemaCoder(ConnBalRow.class));
      } catch (NoSuchSchemaException e) {
        throw new IllegalStateException("ConnBalRow has a @DefaultSchema", e);
      }
    }

    @Override
    public void populateDisplayData(DisplayData.Builder builder) {
      super.populateDisplayData(builder);
      builder.add(DisplayData.item("shardCount", shardCount()).withLabel("Join shards"));
    }

    /** Builder for {@link CountConnections}. */
    @AutoValue.Builder
    abstract static class Builder {
      abstract Builder setShardCount(int count);

      abstract CountConnections build();
    }
  }

  /** Reads the captures through {@code parser}, with {@code splitSize} unless it is null. */
  private static <T> SnoopIO.ParseFiles<T> parse(
      SnoopRecordParser<T> parser, @Nullable Long splitSize) {
    SnoopIO.ParseFiles<T> read = SnoopIO.parseFiles(parser);
    return splitSize == null ? read : read.withDesiredSplitSize(splitSize);
  }
}
