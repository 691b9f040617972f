package dev.connbal.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.sameInstance;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A merge is made once for the same pieces, and again for any other pieces. */
class MergedPiecesTest {
  private int merges;

  private StringBuilder concat(Iterable<StringBuilder> pieces) {
    merges++;
    StringBuilder all = new StringBuilder();
    pieces.forEach(all::append);
    return all;
  }

  @Test
  void theSamePiecesAreMergedOnceAndOthersAgain() {
    MergedPieces<StringBuilder, StringBuilder> merged = new MergedPieces<>(this::concat);
    StringBuilder a = new StringBuilder("a");
    StringBuilder b = new StringBuilder("b");
    StringBuilder first = merged.of(List.of(a, b));
    assertThat(first.toString(), equalTo("ab"));
    // Another iterable over the same objects, as a runner hands a view again.
    assertThat(merged.of(new ArrayList<>(List.of(a, b))), sameInstance(first));
    assertThat(merges, equalTo(1));

    // Equal but other objects, fewer, more, another order: merged again.
    assertThat(merged.of(List.of(new StringBuilder("a"), b)).toString(), equalTo("ab"));
    assertThat(merged.of(List.of(a)).toString(), equalTo("a"));
    assertThat(merged.of(List.of(a, b, a)).toString(), equalTo("aba"));
    assertThat(merged.of(List.of(b, a)).toString(), equalTo("ba"));
    assertThat(merged.of(List.of()).toString(), equalTo(""));
    assertThat(merges, equalTo(6));
  }
}
