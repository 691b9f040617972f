package dev.connbal.bench;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

import dev.connbal.bench.TrafficGenerator.Profile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The splitter's parts: whole records, the original's header each, about equal, in name order. */
class CaptureSplitterTest {
  @TempDir Path dir;

  @Test
  void partsHoldTheCapturesRecordsInNameOrder() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TrafficGenerator.generate(out, 256 << 10, 9, Profile.DNS_HEAVY);
    byte[] capture = out.toByteArray();
    Path file = dir.resolve("capture.snoop");
    Files.write(file, capture);

    List<Path> parts = CaptureSplitter.split(file, dir.resolve("parts"), 12);

    List<Path> byName;
    try (Stream<Path> listed = Files.list(dir.resolve("parts"))) {
      byName = listed.sorted().toList();
    }
    assertThat(byName, equalTo(parts));
    assertThat(parts.size(), is(12));
    assertThat(parts.get(0).getFileName().toString(), equalTo("part-00000.snoop"));
    ByteArrayOutputStream records = new ByteArrayOutputStream();
    long share = (capture.length - 16L) / 12;
    for (Path part : parts) {
      byte[] bytes = Files.readAllBytes(part);
      assertThat(Arrays.equals(bytes, 0, 16, capture, 0, 16), is(true));
      assertThat((long) bytes.length - 16, allOf(greaterThan(share - 400), lessThan(share + 400)));
      FrameCensus census = FrameCensus.of(bytes);
      assertThat(part.toString(), census.problems, equalTo(List.of()));
      assertThat(census.records, greaterThan(0L));
      records.write(bytes, 16, bytes.length - 16);
    }
    assertThat(
        Arrays.equals(records.toByteArray(), Arrays.copyOfRange(capture, 16, capture.length)),
        is(true));
  }
}
