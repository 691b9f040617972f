package dev.connbal.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How many byte ranges the matched captures are read in, which helps choose the runner. */
class InputFilesTest {
  @TempDir Path dir;

  @Test
  void aFileIsARangePerSplitSizeAndACompressedFileOneRange() throws IOException {
    Files.write(dir.resolve("a.snoop"), new byte[64]); // exactly one split
    Files.write(dir.resolve("b.snoop"), new byte[65]); // one byte into a second
    Files.write(dir.resolve("c.snoop.gz"), new byte[1000]); // gzip cannot be split
    Files.write(dir.resolve("d.snoop"), new byte[0]); // an empty file is still read once

    InputFiles inputs = InputFiles.match(List.of(dir.resolve("*").toString()));

    // a fills a batch of small files, b is two ranges, c one, d a second batch.
    assertThat(inputs.ranges(64), is(1L + 2L + 1L + 1L));
    // Every file is small: one batch.
    assertThat(inputs.ranges(1 << 20), is(1L));
  }

  @Test
  void smallFilesAreOneRangePerBatchOfAboutTheSplitSize() throws IOException {
    for (int i = 0; i < 10; i++) {
      Files.write(dir.resolve("part-" + i + ".snoop"), new byte[30]);
    }

    InputFiles inputs = InputFiles.match(List.of(dir.resolve("*").toString()));

    assertThat("two files of 30 bytes to a batch of 64", inputs.ranges(64), is(5L));
    assertThat(inputs.ranges(30), is(10L));
    assertThat(inputs.ranges(300), is(1L));
  }
}
