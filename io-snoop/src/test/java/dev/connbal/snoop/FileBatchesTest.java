package dev.connbal.snoop;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import org.junit.jupiter.api.Test;

/** How small files are packed into batches, each read like one range. */
class FileBatchesTest {
  @Test
  void aFileNoLargerThanTheSplitSizeIsBatched() {
    assertThat(FileBatches.isBatched(0, 64), is(true));
    assertThat(FileBatches.isBatched(64, 64), is(true));
    assertThat(FileBatches.isBatched(65, 64), is(false));
  }

  @Test
  void consecutiveFilesShareABatchWhileItsBytesStayWithinTheSplitSize() {
    long[] sizes = {30, 30, 4, 1, 64, 10, 60};

    assertThat(FileBatches.pack(sizes, 64), equalTo(new int[] {0, 0, 0, 1, 2, 3, 4}));
    assertThat(FileBatches.count(sizes, 64), is(5));
  }

  @Test
  void anEmptyFileTakesAByteOfItsBatch() {
    assertThat(FileBatches.pack(new long[] {0, 0, 0}, 2), equalTo(new int[] {0, 0, 1}));
  }

  @Test
  void noFilesNoBatches() {
    assertThat(FileBatches.count(new long[0], 64), is(0));
  }
}
