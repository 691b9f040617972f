package dev.connbal.examples;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.connbal.pipeline.ConnBalCommand;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the connbal command on each bundled example capture and compares its standard output, byte
 * for byte, with the expected output that was derived by hand (real-capture/DERIVATION.md,
 * srv-synthetic/README.md, tcp-dns-capture/DERIVATION.md), and checks that the run report on stderr
 * holds the hand-counted lines of expected-report.txt. A mismatch means the engine and the
 * derivation disagree about docs/SEMANTICS.md: the expected files are never regenerated from
 * connbal's output.
 */
class ExamplesTest {
  private static final Path REAL = Path.of("real-capture");
  private static final Path SRV = Path.of("srv-synthetic");
  private static final Path TCP_DNS = Path.of("tcp-dns-capture");

  static Stream<Arguments> examples() {
    return Stream.of(
        Arguments.of(REAL, "expected.tsv", List.of()),
        Arguments.of(REAL, "expected-all-streams.tsv", List.of("-a")),
        Arguments.of(SRV, "expected.tsv", List.of()),
        Arguments.of(SRV, "expected-all-streams.tsv", List.of("-a")),
        // DNS over TCP (tcp-dns-capture/DERIVATION.md), also on embedded Flink.
        Arguments.of(TCP_DNS, "expected.tsv", List.of()),
        Arguments.of(
            TCP_DNS,
            "expected.tsv",
            List.of("--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2")),
        // The balance summary instead of the rows (DERIVATION.md section 7, README).
        Arguments.of(REAL, "expected-summary.tsv", List.of("--summary")),
        Arguments.of(SRV, "expected-summary.tsv", List.of("--summary")),
        // The same document whatever the runner: the synthetic capture on embedded Flink.
        Arguments.of(
            SRV,
            "expected.tsv",
            List.of("--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2")),
        Arguments.of(
            REAL,
            "expected-summary.tsv",
            List.of(
                "--summary", "--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2")));
  }

  @ParameterizedTest(name = "{0} {2} -> {1}")
  @MethodSource("examples")
  void outputIsTheHandDerivedExpectation(Path example, String expectedFile, List<String> flags)
      throws IOException {
    List<String> args = new ArrayList<>(flags);
    args.add("-f");
    args.add(example.resolve("capture.snoop").toString());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int exitCode;
    try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      exitCode =
          ConnBalCommand.run(
              args.toArray(new String[0]),
              new ByteArrayInputStream(new byte[0]),
              outStream,
              errStream);
    }

    byte[] expected = Files.readAllBytes(example.resolve(expectedFile));
    String[] expectedReportLines =
        Files.readAllLines(example.resolve("expected-report.txt")).toArray(new String[0]);
    byte[] actual = out.toByteArray();
    String report = err.toString(StandardCharsets.UTF_8);
    List<String> reportLines = report.lines().collect(Collectors.toList());
    String context = "connbal " + String.join(" ", args) + "\nstderr:\n" + report;
    assertAll(
        () -> assertEquals(0, exitCode, context),
        () -> assertThat("run report on stderr", reportLines, hasItems(expectedReportLines)),
        // The text comparison first, for a readable diff; then the bytes, which are the contract.
        () ->
            assertEquals(
                new String(expected, StandardCharsets.UTF_8),
                new String(actual, StandardCharsets.UTF_8),
                context),
        () -> assertArrayEquals(expected, actual, context));
  }
}
