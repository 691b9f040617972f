package dev.connbal.bench;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import dev.connbal.pipeline.ConnbalCommand;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * connbal on a generated ~2 MB capture prints exactly the TSV the generator expects, read whole
 * and in 64 KiB ranges (many splits, records straddling every boundary).
 */
class GeneratedTrafficEndToEndTest {
  private static final long SEED = 20261126L;

  @TempDir static Path dir;
  private static Path capture;
  private static TrafficGenerator.Result generated;

  @BeforeAll
  static void generate() throws IOException {
    capture = dir.resolve("generated.snoop");
    try (OutputStream out = Files.newOutputStream(capture)) {
      generated = TrafficGenerator.generate(out, 2L << 20, SEED);
    }
  }

  @Test
  void defaultRunnerPrintsTheExpectedTsv() {
    assertThat(connbal("-f", capture.toString()), equalTo(generated.expectedTsv()));
  }

  @Test
  void sixtyFourKibSplitsPrintTheExpectedTsv() {
    assertThat(
        connbal("-f", capture.toString(), "--split-size=65536"), equalTo(generated.expectedTsv()));
  }

  private static String connbal(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        ConnbalCommand.run(
            args,
            new ByteArrayInputStream(new byte[0]),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat("exit status; stderr:\n" + err.toString(StandardCharsets.UTF_8), exit, is(0));
    return out.toString(StandardCharsets.UTF_8);
  }
}
