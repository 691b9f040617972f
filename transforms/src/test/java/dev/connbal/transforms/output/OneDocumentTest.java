package dev.connbal.transforms.output;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;

import dev.connbal.transforms.testing.DocumentsOf;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/** One document of all elements: in the global window, and one per window of a windowed input. */
class OneDocumentTest {
  private static final OneDocument<String> SORTED =
      OneDocument.of("sorted", all -> String.join(",", all.stream().sorted().toList()));

  @Test
  void allElementsInOneDocument() {
    Pipeline p = DocumentsOf.directPipeline();
    assertThat(
        DocumentsOf.run(p.apply(Create.of(List.of("c", "a", "b"))).apply(SORTED)),
        containsInAnyOrder("a,b,c"));
  }

  @Test
  void noElementsStillMakeOneDocument() {
    Pipeline p = DocumentsOf.directPipeline();
    assertThat(
        DocumentsOf.run(p.apply(Create.empty(StringUtf8Coder.of())).apply(SORTED)),
        containsInAnyOrder(""));
  }

  @Test
  void aWindowedInputGetsADocumentPerWindow() {
    Pipeline p = DocumentsOf.directPipeline();
    Instant t0 = new Instant(0);
    PCollection<String> windowed =
        p.apply(
                Create.timestamped(
                    TimestampedValue.of("b", t0),
                    TimestampedValue.of("a", t0.plus(Duration.standardSeconds(10))),
                    TimestampedValue.of("z", t0.plus(Duration.standardMinutes(1)))))
            .apply(Window.into(FixedWindows.of(Duration.standardMinutes(1))));
    assertThat(DocumentsOf.run(windowed.apply(SORTED)), containsInAnyOrder("a,b", "z"));
  }
}
