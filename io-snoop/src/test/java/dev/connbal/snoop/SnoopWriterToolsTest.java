package dev.connbal.snoop;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Splitter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer's files read back by SnoopIO's reader and by Wireshark's tools. */
class SnoopWriterToolsTest {
  @TempDir Path tmp;

  @Test
  void roundTripThroughTheReader() throws IOException {
    Random rnd = new Random(51);
    Path file = tmp.resolve("rt.snoop");
    List<byte[]> frames = new ArrayList<>();
    try (OutputStream out = Files.newOutputStream(file);
        SnoopWriter w = SnoopWriter.ethernet(out)) {
      for (int i = 0; i < 300; i++) {
        byte[] frame = TestCaptures.ethernetFrame(rnd, 54 + rnd.nextInt(1460));
        frames.add(frame);
        w.write(TestCaptures.T0 + i, i * 1000, frame.length + (i % 3), i, frame);
      }
      assertThat(w.bytesWritten() % 4, is(0L));
    }
    ReaderHarness.Result r =
        ReaderHarness.readSequential(file, RecordHeaderRules.DEFAULT_MAX_INCLUDED_LENGTH);
    assertThat(r.errors.isEmpty(), is(true));
    assertThat(r.records.size(), is(300));
    long offset = 16;
    for (int i = 0; i < 300; i++) {
      SnoopRecord rec = r.records.get(i);
      assertThat(rec.frame(), equalTo(frames.get(i)));
      assertThat(rec.seconds(), is(TestCaptures.T0 + i));
      assertThat(rec.microseconds(), is(i * 1000));
      assertThat(rec.originalLength(), is(frames.get(i).length + (i % 3)));
      assertThat(rec.cumulativeDrops(), is(i));
      assertThat(rec.datalinkType(), is(4));
      assertThat(rec.recordOffset(), is(offset));
      offset += SnoopWriter.paddedRecordLength(frames.get(i).length);
    }
    assertThat(r.recordBytes, is(Files.size(file) - 16));
  }

  @Test
  void capinfosAndTsharkCountTheWritersRecords() throws Exception {
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/capinfos"))
            && Files.isExecutable(Path.of("/usr/bin/tshark")),
        "capinfos/tshark (Debian package tshark) not installed");
    Path file = tmp.resolve("tools.snoop");
    Files.write(file, TestCaptures.realistic(52, 257, 1514));
    String capinfos = run("capinfos", "-c", "-M", "-t", file.toString());
    assertThat(capinfos, capinfos.matches("(?s).*Number of packets:\\s+257\n.*"), is(true));
    assertThat(capinfos, capinfos.matches("(?s).*File type:\\s+snoop\n.*"), is(true));
    String tshark = run("tshark", "-n", "-r", file.toString(), "-T", "fields", "-e", "frame.len");
    List<String> lines = Splitter.on('\n').splitToList(tshark.strip());
    assertThat(lines.size(), is(257));
    ReaderHarness.Result r =
        ReaderHarness.readSequential(file, RecordHeaderRules.DEFAULT_MAX_INCLUDED_LENGTH);
    for (int i = 0; i < 257; i++) {
      assertThat(Integer.parseInt(lines.get(i).strip()), is(r.records.get(i).originalLength()));
    }
  }

  /** Runs a tool and returns its standard output (tshark warns about root on stderr). */
  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.PIPE).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(String.join(" ", command) + " exit status; stderr: " + err, p.waitFor(), is(0));
    return out;
  }
}
