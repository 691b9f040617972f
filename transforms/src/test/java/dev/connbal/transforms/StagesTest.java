package dev.connbal.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

import dev.connbal.transforms.output.Documents;
import dev.connbal.transforms.output.IpFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.schemas.transforms.Group;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Splitter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library API as a Beam user meets it: the stages are named steps of the pipeline graph, they
 * compose by hand into what {@link ConnBal#analyze()} outputs, and the rows carry a schema that
 * Beam's schema transforms read.
 */
class StagesTest {
  @TempDir static Path tmp;
  private static String captures;
  private static final Queue<String> OUT = new ConcurrentLinkedQueue<>();

  @BeforeAll
  static void writeCaptures() throws IOException {
    Path dir = Files.createDirectory(tmp.resolve("captures"));
    MixedCaptures.write(dir, 2, 11);
    captures = dir.resolve("*.snoop").toString();
  }

  @Test
  void analyzeShowsItsStagesInThePipelineGraph() {
    assertThat(
        compositeNames(ConnBal.analyze()),
        hasItems(
            "Analyze/MatchCaptures",
            "Analyze/Analyze/ExtractEvents",
            "Analyze/Analyze/RunDnsTimeline",
            "Analyze/Analyze/CountConnections"));
    assertThat(compositeNames(ConnBal.analyze()), not(hasItem("Analyze/Analyze/CountStreams")));
    assertThat(
        compositeNames(ConnBal.analyze().withAllStreams(true)),
        hasItem("Analyze/Analyze/CountStreams"));
  }

  @Test
  void stagesComposedByHandGiveAnalyzesRows() {
    String reference = ConnBalRun.direct(captures, ConnBal.analyze(), tmp).tsv();
    assertThat(reference.lines().count(), greaterThan(5L));

    Pipeline p = Pipeline.create(ConnBalRun.directOptions());
    PCollectionTuple events =
        p.apply("Open", new MatchAndOpen(captures))
            .apply("Extract", ConnBal.extractEvents().withShardCount(7).withTimelineShardCount(3));
    PCollectionTuple dns =
        events.apply("Timeline", ConnBal.runDnsTimeline().withTimelineShardCount(3));
    PCollection<ConnBalRow> rows =
        PCollectionTuple.of(ConnBal.RunDnsTimeline.FACTS, dns.get(ConnBal.RunDnsTimeline.FACTS))
            .and(ConnBal.ExtractEvents.SYN_BATCHES, events.get(ConnBal.ExtractEvents.SYN_BATCHES))
            .apply("Count", ConnBal.countConnections().withShardCount(7));
    OUT.clear();
    rows.apply(Documents.tsv(IpFormat.PADDED)).apply(ParDo.of(new Collect()));
    p.run().waitUntilFinish();
    assertThat(new ArrayList<>(OUT), equalTo(List.of(reference)));
  }

  @Test
  void rowsHaveASchemaThatSchemaTransformsRead() {
    String reference = ConnBalRun.direct(captures, ConnBal.analyze(), IpFormat.PLAIN, tmp).tsv();
    // Connections per client, summed from the TSV's columns by hand.
    Map<String, Long> expected = new TreeMap<>();
    reference
        .lines()
        .map(l -> l.split("\t"))
        .forEach(f -> expected.merge(f[0], Long.parseLong(f[2]), Long::sum));

    Pipeline p = Pipeline.create(ConnBalRun.directOptions());
    OUT.clear();
    p.apply(ConnBal.analyze().from(captures))
        .rows()
        .apply(Group.<ConnBalRow>byFieldNames("client").aggregateField("conns", Sum.ofLongs(), "n"))
        .apply(ParDo.of(new RowText()));
    p.run().waitUntilFinish();
    Map<String, Long> actual = new TreeMap<>();
    for (String line : OUT) {
      List<String> clientAndCount = Splitter.on(' ').splitToList(line);
      actual.put(clientAndCount.get(0), Long.parseLong(clientAndCount.get(1)));
    }
    assertThat(actual, equalTo(expected));
  }

  /** The full names of the composite transforms of a pipeline that applies {@code analyze}. */
  private static List<String> compositeNames(ConnBal.Analyze analyze) {
    Pipeline p = Pipeline.create(ConnBalRun.directOptions());
    p.apply("Analyze", analyze.from(captures));
    List<String> names = new ArrayList<>();
    p.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
            names.add(node.getFullName());
            return CompositeBehavior.ENTER_TRANSFORM;
          }
        });
    return names;
  }

  /** Matches and opens the captures, as a user's pipeline would before the stages. */
  private static final class MatchAndOpen
      extends PTransform<PBegin, PCollection<FileIO.ReadableFile>> {
    private final String pattern;

    MatchAndOpen(String pattern) {
      this.pattern = pattern;
    }

    @Override
    public PCollection<FileIO.ReadableFile> expand(PBegin begin) {
      return begin.apply(FileIO.match().filepattern(pattern)).apply(FileIO.readMatches());
    }
  }

  private static final class Collect extends DoFn<String, Void> {
    @ProcessElement
    public void process(@Element String document) {
      OUT.add(document);
    }
  }

  /** {@code client n} of a grouped row (key row, value row). */
  private static final class RowText extends DoFn<Row, Void> {
    @ProcessElement
    public void process(@Element Row row) {
      OUT.add(row.getRow("key").getString("client") + " " + row.getRow("value").getInt64("n"));
    }
  }
}
