package dev.connbal.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import dev.connbal.transforms.testing.Capture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every side input of the analysis (the all-streams mode's; the default mode has none) holds at
 * least one element, whatever the input: Beam 2.62's Direct runner can leave an element waiting
 * forever for an empty side input (see {@link ConnBal}'s class comment). Checked on the inputs that
 * give the fewest elements: a capture without DNS (no backends, no rows) and an empty file (no
 * range is read at all).
 */
class SideInputsTest {
  private static final String NAMESPACE = "sideInputElements";

  @TempDir Path tmp;

  @Test
  void everySideInputHoldsAnElement() throws IOException {
    Path noBackends = Files.createDirectories(tmp.resolve("no-backends"));
    Capture.at(
            ConnBalSemanticsTest.T,
            0,
            ConnBalSemanticsTest.syn(
                ConnBalSemanticsTest.C, 50001, ConnBalSemanticsTest.B1, 443, 1))
        .writeTo(noBackends.resolve("capture.snoop"));
    Path emptyFile = Files.createDirectories(tmp.resolve("empty-file"));
    Files.write(emptyFile.resolve("capture.snoop"), new byte[0]);

    for (Path input : List.of(noBackends, emptyFile)) {
      for (boolean allStreams : new boolean[] {false, true}) {
        PipelineOptions options = ConnBalRun.directOptions();
        // run() returns at once, so that a run that never ends fails the test after the limit.
        options.as(DirectOptions.class).setBlockOnRun(false);
        Pipeline p = Pipeline.create(options);
        p.apply(FileIO.match().filepattern(input.resolve("*").toString()))
            .apply(FileIO.readMatches())
            .apply(ConnBal.analyze().withAllStreams(allStreams));
        List<PCollectionView<?>> views = sideInputs(p);
        // The SRV learning pass gives the timelines two (the run's SRV names and knowledge); the
        // default mode counts its SYNs in the join without one, -a reads TCP against a third.
        assertThat(views, hasSize(allStreams ? 3 : 2));
        for (int i = 0; i < views.size(); i++) {
          @SuppressWarnings("unchecked")
          PCollection<Object> elements = (PCollection<Object>) views.get(i).getPCollection();
          elements.apply("CountSideInput" + i, ParDo.of(new CountElementsFn(view(i))));
        }
        PipelineResult run = p.run();
        PipelineResult.State state = run.waitUntilFinish(Duration.standardMinutes(3));
        if (state != PipelineResult.State.DONE) {
          run.cancel();
        }
        assertThat(state, is(PipelineResult.State.DONE));
        for (int i = 0; i < views.size(); i++) {
          assertThat(
              input.getFileName() + " -a=" + allStreams + ": elements of " + views.get(i),
              elements(run, view(i)),
              greaterThan(0L));
        }
      }
    }
  }

  private static String view(int index) {
    return "view" + index;
  }

  /**
   * The views that the pipeline's ParDos (Combine's default value among them) take as side inputs.
   */
  private static List<PCollectionView<?>> sideInputs(Pipeline p) {
    List<PCollectionView<?>> views = new ArrayList<>();
    p.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public void visitPrimitiveTransform(TransformHierarchy.Node node) {
            if (node.getTransform() instanceof ParDo.MultiOutput<?, ?> parDo) {
              parDo.getSideInputs().values().stream()
                  .filter(v -> !views.contains(v))
                  .forEach(views::add);
            }
          }
        });
    return views;
  }

  private static long elements(PipelineResult run, String counter) {
    long total = 0;
    for (MetricResult<Long> c :
        run.metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(NAMESPACE, counter))
                    .build())
            .getCounters()) {
      total += c.getAttempted();
    }
    return total;
  }

  /** Counts the elements of one side input's collection. */
  private static final class CountElementsFn extends DoFn<Object, Void> {
    private final Counter elements;

    CountElementsFn(String counter) {
      this.elements = Metrics.counter(NAMESPACE, counter);
    }

    @ProcessElement
    public void process() {
      elements.inc();
    }
  }
}
