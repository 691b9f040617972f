package dev.connbal.transforms;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The merge of a side input that comes in pieces (a view of an iterable), made once per set of
 * pieces and reused while a runner hands the same pieces again.
 *
 * <p>Why pieces: a value that grows with the run (the SRV knowledge, the backend table) must not
 * cross a runner as one record, and a singleton view does (it combines, and a combine sorts: Flink
 * fails a record larger than its sort buffer, a few MB). Why the reuse: a merge costs a pass over
 * every piece, and the readers of these views ask per group or per range. The runners keep a view's
 * decoded pieces while its window lasts, so the same objects mean the same value; anything else is
 * merged again. Not thread-safe: one per DoFn instance, kept in a transient field.
 */
public final class MergedPieces<P, M> {
  private final Function<Iterable<P>, M> merge;
  private @Nullable List<P> mergedFrom;
  private @Nullable M merged;

  public MergedPieces(Function<Iterable<P>, M> merge) {
    this.merge = merge;
  }

  /** The merge of {@code pieces}. */
  public M of(Iterable<P> pieces) {
    if (merged == null || mergedFrom == null || !sameObjects(mergedFrom, pieces)) {
      List<P> from = new ArrayList<>();
      pieces.forEach(from::add);
      merged = merge.apply(from);
      mergedFrom = from;
    }
    return merged;
  }

  private static <P> boolean sameObjects(List<P> before, Iterable<P> now) {
    Iterator<P> it = now.iterator();
    for (P p : before) {
      if (!it.hasNext() || it.next() != p) {
        return false;
      }
    }
    return !it.hasNext();
  }
}
