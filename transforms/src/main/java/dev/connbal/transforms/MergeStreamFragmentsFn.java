package dev.connbal.transforms;

import org.apache.beam.sdk.transforms.Combine;

/** Combines the fragments of one 4-tuple from all bundles (see {@link StreamFragment#merge}). */
final class MergeStreamFragmentsFn extends Combine.BinaryCombineFn<StreamFragment> {
  @Override
  public StreamFragment apply(StreamFragment left, StreamFragment right) {
    return StreamFragment.merge(left, right);
  }
}
