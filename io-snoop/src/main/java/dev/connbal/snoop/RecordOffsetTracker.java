package dev.connbal.snoop;

import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.transforms.splittabledofn.OffsetRangeTracker;
import org.apache.beam.sdk.transforms.splittabledofn.SplitResult;

/**
 * Claims record start offsets within a byte range, and refuses dynamic splits: a split point is
 * only safe once the reader of the range before it has computed the same handoff boundary (see
 * {@link CaptureFileReader}), which it does when it starts. Runners therefore get their parallelism
 * from the initial splits of {@code @SplitRestriction}; the Flink batch runner only uses those, and
 * the Direct runner simply does not checkpoint.
 */
final class RecordOffsetTracker extends OffsetRangeTracker {
  RecordOffsetTracker(OffsetRange range) {
    super(range);
  }

  @Override
  public SplitResult<OffsetRange> trySplit(double fractionOfRemainder) {
    return null;
  }
}
