package dev.connbal.snoop;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.zip.GZIPOutputStream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link CaptureStart} gives the time of a capture's first record, as tshark lists it, in every
 * format and gzip-compressed; nothing for what is not a capture or holds no record yet.
 */
class CaptureStartTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(
      strings = {
        "capture.pcap",
        "capture-ns.pcap",
        "capture.pcapng",
        "lo-ns.pcap",
        "two-sections.pcapng",
        "crafted.pcapng",
        "multi-interface.pcapng"
      })
  void firstRecordAsTsharkListsIt(String name) throws IOException {
    Path fixture = Path.of("src/test/resources/captures", name);
    long expected = firstListedMicros(Path.of(fixture + ".tshark.tsv"));
    assertThat(
        CaptureStart.firstRecordMicros(resource(fixture)), equalTo(OptionalLong.of(expected)));
    Path gzipped = dir.resolve(name + ".gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gzipped))) {
      out.write(Files.readAllBytes(fixture));
    }
    assertThat(
        CaptureStart.firstRecordMicros(resource(gzipped)), equalTo(OptionalLong.of(expected)));
  }

  @Test
  void theBundledSnoopCaptureBeginsAtItsFirstRecord() throws IOException {
    // examples/real-capture/DERIVATION.md lists the capture; its frame 1 is at 1796240963.845635.
    Path snoop = Path.of("../examples/real-capture/capture.snoop");
    assertThat(
        CaptureStart.firstRecordMicros(resource(snoop)),
        equalTo(
            OptionalLong.of(
                firstListedMicros(
                    Path.of("src/test/resources/captures/capture.pcap.tshark.tsv")))));
  }

  @Test
  void nothingForWhatIsNoCaptureOrHasNoRecordYet() throws IOException {
    Path text = dir.resolve("notes.txt");
    Files.writeString(text, "not a capture at all, just some words", StandardCharsets.UTF_8);
    assertThat(CaptureStart.firstRecordMicros(resource(text)), equalTo(OptionalLong.empty()));
    Path headerOnly = dir.resolve("new.snoop");
    byte[] header = new byte[16];
    System.arraycopy(SnoopWriter.MAGIC, 0, header, 0, 8);
    header[11] = 2;
    header[15] = 4;
    Files.write(headerOnly, header);
    assertThat(CaptureStart.firstRecordMicros(resource(headerOnly)), equalTo(OptionalLong.empty()));
  }

  private static ResourceId resource(Path file) {
    return FileSystems.matchNewResource(file.toAbsolutePath().toString(), false);
  }

  /** The first listed frame's time (seconds.nanoseconds, third column) in microseconds. */
  private static long firstListedMicros(Path listing) throws IOException {
    String time = Files.readAllLines(listing, StandardCharsets.UTF_8).get(0).split("\t")[2];
    int dot = time.indexOf('.');
    return Long.parseLong(time.substring(0, dot)) * 1_000_000L
        + Long.parseLong(time.substring(dot + 1, dot + 7));
  }
}
