package dev.connbal.transforms;

import dev.connbal.transforms.count.BackendPort;
import dev.connbal.transforms.count.CountStreamsFn;
import dev.connbal.transforms.count.JoinRowsFn;
import dev.connbal.transforms.count.WaitForBackendTableFn;
import dev.connbal.transforms.events.DnsAndSynParser;
import dev.connbal.transforms.events.DnsPartial;
import dev.connbal.transforms.events.StreamFragmentsParser;
import dev.connbal.transforms.events.SynBatch;
import dev.connbal.transforms.keys.Shards;
import dev.connbal.transforms.output.IpFormat;
import dev.connbal.transforms.output.TsvDocumentFn;
import dev.connbal.transforms.output.TsvRow;
import dev.connbal.transforms.report.ConnBalMetrics;
import dev.connbal.transforms.report.ReadErrorReportFn;
import dev.connbal.transforms.report.RunReport;
import dev.connbal.transforms.report.SumRunReportsFn;
import dev.connbal.transforms.timeline.BackendFacts;
import dev.connbal.transforms.timeline.BackendTable;
import dev.connbal.transforms.timeline.FilterSrvEventsFn;
import dev.connbal.transforms.timeline.LearnSrvFn;
import dev.connbal.transforms.timeline.RunDnsTimelineFn;
import dev.connbal.transforms.timeline.SrvKnowledge;
import dev.connbal.transforms.wire.BackendFactsCoder;
import dev.connbal.transforms.wire.BackendPortCoder;
import dev.connbal.transforms.wire.BackendTableCoder;
import dev.connbal.transforms.wire.RunReportCoder;
import dev.connbal.transforms.wire.SrvKnowledgeCoder;
import dev.connbal.transforms.wire.TsvRowCoder;
import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import com.google.auto.value.AutoValue;
import dev.connbal.snoop.SnoopIO;
import dev.connbal.snoop.SnoopParseResult;
import dev.connbal.snoop.SnoopReadError;
import dev.connbal.snoop.SnoopRecordParser;
import dev.connbal.transforms.decode.DnsName;
import dev.connbal.transforms.decode.DnsNameCoder;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.ReadableFileCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Distinct;
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
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * connbal's analysis as Beam transforms: from snoop captures to the per (client, backend, port) TSV
 * of SEMANTICS.md, the run report and the read errors.
 *
 * <pre>{@code
 * ConnBalResult result =
 *     pipeline
 *         .apply(FileIO.match().filepattern("/captures/*.snoop"))
 *         .apply(FileIO.readMatches())
 *         .apply(ConnBal.analyze().withNameFilter("example.com"));
 * }</pre>
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
 * count ({@link Analyze#withShardCount}) whatever the capture (the Direct runner pays milliseconds
 * per key), and a group holds only its share of the keys. Connections are counted, never listed:
 * per (client, backend, port).
 *
 * <p>No side input of the analysis is ever empty, and nothing relies on a default value: the
 * timeline always gets one partial without events (so the backend table of the all-streams mode
 * always has its one element) and the document always gets one batch without rows (instead of
 * {@code Combine.globally}'s default, which reads the combined value through a side input). Beam
 * 2.62's Direct runner learns that an empty side input is ready from a watermark callback that
 * does not wake its executor: when the callback came after the executor had gone quiescent, the
 * element waiting for the side input was never retried and the run spun forever (caught, with
 * the runner's watermark state, in a run of a capture without backends on a loaded machine).
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

  /** The analysis with defaults: new connections only, no name filter, zero-padded IPs. */
  public static Analyze analyze() {
    return new AutoValue_ConnBal_Analyze.Builder()
        .setAllStreams(false)
        .setIpFormat(IpFormat.PADDED)
        .setShardCount(Shards.DEFAULT_COUNT)
        .setTimelineShardCount(Shards.DEFAULT_TIMELINE_COUNT)
        .build();
  }

  /** Implementation of {@link #analyze()}. */
  @AutoValue
  public abstract static class Analyze
      extends PTransform<PCollection<FileIO.ReadableFile>, ConnBalResult> {
    abstract boolean allStreams();

    abstract @Nullable String nameFilter();

    abstract IpFormat ipFormat();

    abstract @Nullable Long desiredSplitSize();

    abstract int shardCount();

    abstract int timelineShardCount();

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

    /** How IP addresses print (default {@link IpFormat#PADDED}). */
    public Analyze withIpFormat(IpFormat format) {
      checkArgument(format != null, "IP format must not be null");
      return toBuilder().setIpFormat(format).build();
    }

    /** Split size for reading the captures (default: SnoopIO's, 64 MiB); at least 64 bytes. */
    public Analyze withDesiredSplitSize(long bytes) {
      checkArgument(
          bytes >= SnoopIO.MIN_DESIRED_SPLIT_SIZE,
          "desired split size must be >= %s bytes, got %s",
          SnoopIO.MIN_DESIRED_SPLIT_SIZE,
          bytes);
      return toBuilder().setDesiredSplitSize(bytes).build();
    }

    /**
     * How many keys the shuffles of SYNs (or streams) and of the join spread over (default {@value
     * Shards#DEFAULT_COUNT}); the output does not depend on it. Many suit distributed runners;
     * the Direct runner, which pays per key and step, is faster with a few per worker thread.
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

    @Override
    public void populateDisplayData(DisplayData.Builder builder) {
      super.populateDisplayData(builder);
      builder
          .add(DisplayData.item("allStreams", allStreams()).withLabel("Count all TCP streams (-a)"))
          .addIfNotNull(DisplayData.item("nameFilter", nameFilter()).withLabel("Query name filter"))
          .add(DisplayData.item("ipFormat", ipFormat().name()).withLabel("IP address format"))
          .add(DisplayData.item("shardCount", shardCount()).withLabel("Shuffle keys"))
          .add(
              DisplayData.item("timelineShardCount", timelineShardCount())
                  .withLabel("DNS timeline shards"))
          .addIfNotNull(
              DisplayData.item("desiredSplitSize", desiredSplitSize())
                  .withLabel("Desired split size (bytes)"));
    }

    @Override
    public ConnBalResult expand(PCollection<FileIO.ReadableFile> files) {
      Shards shards = new Shards(shardCount());
      // Pass 1: DNS events by client shard; in the default mode also every opening SYN, batched
      // by shard of (client, server) pairs, as the join groups the DNS facts.
      SnoopParseResult<KV<Integer, DnsPartial>> pass1 =
          files.apply(
              "ReadCaptures",
              parse(
                  new DnsAndSynParser(
                      nameFilter(),
                      allStreams() ? null : shards,
                      new Shards(timelineShardCount()))));
      PCollection<KV<Integer, DnsPartial>> dnsPartials = pass1.outputs();
      PCollection<KV<Integer, DnsPartial>> srvPartials = pass1.output(DnsAndSynParser.SRV_EVENTS);
      PCollection<KV<Integer, SynBatch>> synBatches = pass1.output(DnsAndSynParser.SYNS);
      // One timeline per client shard, which takes the run's SRV knowledge from a learning pass
      // when there are several. One empty partial more, so that shard 0's timeline runs and the
      // backend table has an element even when no range was read: see the class comment.
      PCollectionView<SrvKnowledge> srvKnowledge =
          timelineShardCount() == 1 ? null : learnSrv(pass1, dnsPartials, srvPartials);
      RunDnsTimelineFn runTimeline = new RunDnsTimelineFn(srvKnowledge, allStreams());
      PCollectionTuple timeline =
          withOneMore(
                  "NoDnsEvents",
                  PCollectionList.of(dnsPartials)
                      .and(srvPartials)
                      .apply("AllDnsEvents", Flatten.pCollections()),
                  KV.of(0, DnsPartial.of(List.of(), RunReport.empty())))
              .apply("GroupDnsEventsByClient", GroupByKey.create())
              .apply(
                  "RunDnsTimelines",
                  ParDo.of(runTimeline)
                      .withSideInputs(
                          srvKnowledge == null
                              ? List.<PCollectionView<?>>of()
                              : List.<PCollectionView<?>>of(srvKnowledge))
                      .withOutputTags(
                          RunDnsTimelineFn.FACTS,
                          TupleTagList.of(RunDnsTimelineFn.REPORT).and(RunDnsTimelineFn.TABLE)));
      PCollection<KV<Long, BackendFacts>> facts =
          timeline
              .get(RunDnsTimelineFn.FACTS)
              .setCoder(KvCoder.of(VarLongCoder.of(), BackendFactsCoder.of()));
      // Empty but in the all-streams mode, which reads TCP against the table.
      PCollection<BackendTable> tableParts =
          timeline.get(RunDnsTimelineFn.TABLE).setCoder(BackendTableCoder.of());

      // The join, per shard of (client, backend) pairs, of the DNS facts with the default mode's
      // SYN batches (counted in the join, so that the SYNs wait for nothing but the facts) or
      // the all-streams mode's stream counts; then the document.
      PCollection<KV<Integer, BackendFacts>> factsByShard =
          facts
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
      if (allStreams()) {
        PCollectionView<BackendTable> backendTable =
            tableParts
                .apply("BackendTable", Combine.globally(BackendTable::union).withoutDefaults())
                .setCoder(BackendTableCoder.of())
                .apply("BackendTableView", View.asSingleton());
        join = join.and(JoinRowsFn.PORT_CONNS, countStreams(files, backendTable, shards));
        joinRows = JoinRowsFn.addingCounts();
      } else {
        join = join.and(JoinRowsFn.SYNS, synBatches);
        joinRows = JoinRowsFn.countingAttempts();
      }
      PCollection<List<TsvRow>> rows =
          join.apply("JoinFactsAndConns", CoGroupByKey.create())
              .apply("Rows", ParDo.of(joinRows))
              .setCoder(ListCoder.of(TsvRowCoder.of()));
      // One empty batch more, so that there is a document when no shard has a row without
      // Combine's default value: see the class comment.
      PCollection<String> tsv =
          withOneMore("NoRows", rows, List.<TsvRow>of())
              .apply(
                  "SortedTsv", Combine.globally(new TsvDocumentFn(ipFormat())).withoutDefaults())
              .setCoder(StringUtf8Coder.of());

      PCollection<RunReport> report = report(timeline, pass1.errors());
      return new ConnBalResult(files.getPipeline(), tsv, report, pass1.errors());
    }

    /**
     * {@code values} and one element more, {@code extra}, created by a step named {@code name}
     * (with {@code values}' coder).
     */
    private static <T> PCollection<T> withOneMore(
        String name, PCollection<T> values, T extra) {
      PCollection<T> one =
          values
              .getPipeline()
              // Create.of(List.of(x)): Create.of(x) would take a list's elements as the values.
              .apply(name, Create.of(List.of(extra)).withCoder(values.getCoder()));
      return PCollectionList.of(one)
          .and(values)
          .apply(name + "AndTheRest", Flatten.pCollections());
    }

    /**
     * The learning pass of a timeline split by client: the events of the run's SRV names (those
     * pass 1 set apart, and those it could not know to, found by the run's list of SRV names),
     * matched per client shard, teach the SRV knowledge that every shard's timeline consults.
     */
    private static PCollectionView<SrvKnowledge> learnSrv(
        SnoopParseResult<KV<Integer, DnsPartial>> pass1,
        PCollection<KV<Integer, DnsPartial>> dnsPartials,
        PCollection<KV<Integer, DnsPartial>> srvPartials) {
      PCollectionView<List<DnsName>> srvNames =
          withOneMore("NoSrvNames", pass1.output(DnsAndSynParser.SRV_NAMES), List.<DnsName>of())
              .apply("SrvNames", Combine.globally(Analyze::distinctNames).withoutDefaults())
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
              .apply("LearnSrv", ParDo.of(new LearnSrvFn()))
              .setCoder(SrvKnowledgeCoder.of());
      return withOneMore("NoSrvKnowledge", learnt, new SrvKnowledge())
          .apply("SrvKnowledge", Combine.globally(SrvKnowledge::mergeAll).withoutDefaults())
          .setCoder(SrvKnowledgeCoder.of())
          .apply("SrvKnowledgeView", View.asSingleton());
    }

    /** The distinct names of {@code lists}. */
    private static List<DnsName> distinctNames(Iterable<List<DnsName>> lists) {
      Set<DnsName> names = new LinkedHashSet<>();
      lists.forEach(names::addAll);
      return new ArrayList<>(names);
    }

    /** Reads the captures through {@code parser}, with the analysis' split size. */
    private <T> SnoopIO.ParseFiles<T> parse(SnoopRecordParser<T> parser) {
      SnoopIO.ParseFiles<T> read = SnoopIO.parseFiles(parser);
      return desiredSplitSize() == null ? read : read.withDesiredSplitSize(desiredSplitSize());
    }

    /**
     * All-streams mode: pass 2 reads TCP between the (client, backend) pairs of the finished
     * backend table, counted per shard of 4-tuples; the counts leave keyed by the join's shard.
     */
    private PCollection<KV<Integer, KV<BackendPort, Long>>> countStreams(
        PCollection<FileIO.ReadableFile> files,
        PCollectionView<BackendTable> backendTable,
        Shards shards) {
      return files
          .apply(
              "WaitForBackendTable",
              ParDo.of(new WaitForBackendTableFn(backendTable)).withSideInputs(backendTable))
          .setCoder(ReadableFileCoder.of())
          .apply("ReadCapturesForTcp", parse(new StreamFragmentsParser(backendTable, shards)))
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

    private static PCollection<RunReport> report(
        PCollectionTuple timeline, PCollection<SnoopReadError> errors) {
      PCollection<RunReport> pass1 =
          timeline.get(RunDnsTimelineFn.REPORT).setCoder(RunReportCoder.of());
      PCollection<RunReport> readErrors =
          errors
              .apply("ReadErrorCounts", ParDo.of(new ReadErrorReportFn()))
              .setCoder(RunReportCoder.of());
      PCollection<RunReport> filesWithErrors =
          errors
              .apply(
                  "ErrorFiles",
                  MapElements.into(TypeDescriptors.strings()).via(SnoopReadError::file))
              .apply("DistinctErrorFiles", Distinct.create())
              .apply(
                  "FileWithErrors",
                  MapElements.into(TypeDescriptor.of(RunReport.class))
                      .via(file -> fileWithErrors()))
              .setCoder(RunReportCoder.of());
      // One all-zero part guarantees a report even for an input with nothing in it, without
      // Combine's default value (which would be Java-serialized into the pipeline).
      PCollection<RunReport> zero =
          pass1
              .getPipeline()
              .apply("ZeroReport", Create.of(RunReport.empty()).withCoder(RunReportCoder.of()));
      return PCollectionList.of(zero)
          .and(pass1)
          .and(readErrors)
          .and(filesWithErrors)
          .apply("AllReportParts", Flatten.pCollections())
          .apply("RunReport", Combine.globally(new SumRunReportsFn()).withoutDefaults())
          .setCoder(RunReportCoder.of());
    }

    private static RunReport fileWithErrors() {
      ConnBalMetrics.FILES_WITH_ERRORS.inc();
      return RunReport.builder().setFilesWithErrors(1).build();
    }

    /** Builder for {@link Analyze}. */
    @AutoValue.Builder
    abstract static class Builder {
      abstract Builder setAllStreams(boolean allStreams);

      abstract Builder setNameFilter(String nameFilter);

      abstract Builder setIpFormat(IpFormat ipFormat);

      abstract Builder setDesiredSplitSize(Long bytes);

      abstract Builder setShardCount(int count);

      abstract Builder setTimelineShardCount(int count);

      abstract Analyze build();
    }
  }
}
