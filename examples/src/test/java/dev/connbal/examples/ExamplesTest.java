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
  private static final Path DUAL = Path.of("dual-stack-capture");

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

  /**
   * The dual-stack recording in its five files (dual-stack-capture/DERIVATION.md): Linux cooked
   * capture v2 in pcapng and in microsecond pcap, Ethernet in nanosecond pcap, in pcapng and in
   * snoop. Each gives the same hand-derived rows, also on embedded Flink; the report lines that
   * differ (packets and bytes) are the capinfos and tshark figures of that derivation.
   */
  static Stream<Arguments> dualStackCaptures() {
    List<String> flink =
        List.of("--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2");
    return Stream.of(
        Arguments.of("any.pcapng", 56, 5950, List.of()),
        Arguments.of("any.pcap", 56, 5950, List.of()),
        Arguments.of("eth-nano.pcap", 55, 5504, List.of()),
        Arguments.of("eth.pcapng", 55, 5504, List.of()),
        Arguments.of("eth.snoop", 55, 5504, List.of()),
        Arguments.of("any.pcapng", 56, 5950, flink));
  }

  @ParameterizedTest(name = "{0} {3}")
  @MethodSource("dualStackCaptures")
  void dualStackCapturesGiveTheHandDerivedRows(
      String capture, int packets, int frameBytes, List<String> flags) throws IOException {
    List<String> expectedReport =
        new ArrayList<>(Files.readAllLines(DUAL.resolve("expected-report.txt")));
    expectedReport.add("packets read: " + packets);
    expectedReport.add("frame bytes read: " + frameBytes);
    assertRunGives(DUAL.resolve(capture), flags, DUAL.resolve("expected.tsv"), expectedReport);
  }

  @ParameterizedTest(name = "{0} {2} -> {1}")
  @MethodSource("examples")
  void outputIsTheHandDerivedExpectation(Path example, String expectedFile, List<String> flags)
      throws IOException {
    assertRunGives(
        example.resolve("capture.snoop"),
        flags,
        example.resolve(expectedFile),
        Files.readAllLines(example.resolve("expected-report.txt")));
  }

  /** connbal over one capture exits 0, prints exactly the expected file and the report lines. */
  private static void assertRunGives(
      Path capture, List<String> flags, Path expectedFile, List<String> expectedReportLines)
      throws IOException {
    List<String> args = new ArrayList<>(flags);
    args.add("-f");
    args.add(capture.toString());
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

    byte[] expected = Files.readAllBytes(expectedFile);
    byte[] actual = out.toByteArray();
    String report = err.toString(StandardCharsets.UTF_8);
    List<String> reportLines = report.lines().collect(Collectors.toList());
    String context = "connbal " + String.join(" ", args) + "\nstderr:\n" + report;
    assertAll(
        () -> assertEquals(0, exitCode, context),
        () ->
            assertThat(
                "run report on stderr",
                reportLines,
                hasItems(expectedReportLines.toArray(new String[0]))),
        // The text comparison first, for a readable diff; then the bytes, which are the contract.
        () ->
            assertEquals(
                new String(expected, StandardCharsets.UTF_8),
                new String(actual, StandardCharsets.UTF_8),
                context),
        () -> assertArrayEquals(expected, actual, context));
  }
}
