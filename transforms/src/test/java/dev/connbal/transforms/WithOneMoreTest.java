package dev.connbal.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;

/** A collection and one element more, whatever the collection holds. */
class WithOneMoreTest {
  @Test
  void addsTheElementToAnEmptyAndToAFullCollection() {
    Pipeline p = Pipeline.create(ConnBalRun.directOptions());
    PCollection<Integer> none =
        p.apply("None", Create.empty(VarIntCoder.of()))
            .apply("NoneAndZero", WithOneMore.element(0));
    PAssert.that(none).containsInAnyOrder(0);
    PCollection<Integer> some =
        p.apply("Some", Create.of(1, 2).withCoder(VarIntCoder.of()))
            .apply("SomeAndZero", WithOneMore.element(0));
    PAssert.that(some).containsInAnyOrder(0, 1, 2);
    p.run().waitUntilFinish();
  }

  @Test
  void aListIsOneElementAndKeepsTheInputsCoder() {
    Pipeline p = Pipeline.create(ConnBalRun.directOptions());
    ListCoder<String> coder = ListCoder.of(StringUtf8Coder.of());
    PCollection<List<String>> batches =
        p.apply(Create.of(List.of(List.of("a", "b"))).withCoder(coder))
            .apply("NoBatch", WithOneMore.element(List.<String>of()));
    assertThat(batches.getCoder(), is(coder));
    PAssert.that(batches).containsInAnyOrder(List.of(List.of(), List.of("a", "b")));
    p.run().waitUntilFinish();
  }

  @Test
  void refusesNull() {
    assertThrows(IllegalArgumentException.class, () -> WithOneMore.element(null));
  }
}
