package dev.connbal.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --summary} and {@code --report} on the command line: where the summary goes, beside or
 * instead of the rows, on the bundled real capture (its hand-derived expected-summary.tsv,
 * examples/real-capture/DERIVATION.md section 7) and on {@link TestCaptures}, on the Direct runner
 * and on embedded Flink.
 */
class SummaryCommandTest {
  /** The bundled real capture (surefire runs in the module's directory). */
  private static final Path REAL_CAPTURE = Path.of("../examples/real-capture/capture.snoop");

  private static final Path REAL_EXPECTED = Path.of("../examples/real-capture/expected.tsv");

  private static final Path REAL_EXPECTED_SUMMARY =
      Path.of("../examples/real-capture/expected-summary.tsv");

  /**
   * api.snoop and db.snoop's summary (TestCaptures' rows). db: 10.0.2.1 got 1 of n = 1, 10.0.2.2
   * none: expected 0.5 each, max/expected 1/0.5 = 2, one unused; L = 1: lookups/conn 1/1 = 1.00.
   * api: 2 and 1 of n = 3, expected 1.5 each: max/expected 2/1.5 = 1.33; lookups/conn 1/3. db's
   * unused-backends line before api's even one.
   */
  private static final String API_DB_SUMMARY_PLAIN =
      "client\tname\tbackends\tconns\tlookups\tlookups/conn\tmax/expected\tunused\tp\tverdicts\n"
          + "10.0.0.2\tdb.example.org.\t2\t1\t1\t1.00\t2.00\t1\t-\tunused-backends,re-resolves\n"
          + "10.0.0.1\tapi.example.com.\t2\t3\t1\t0.33\t1.33\t0\t-\teven\n";

  @TempDir static Path captures;

  @TempDir Path work;

  @BeforeAll
  static void writeCaptures() {
    TestCaptures.writeApi(captures.resolve("api.snoop"));
    TestCaptures.writeDb(captures.resolve("db.snoop"));
  }

  @Test
  void summaryOfTheRealCaptureIsTheHandDerivedOneOnStdout() throws Exception {
    CommandOutcome run = CommandOutcome.run("-f", REAL_CAPTURE.toString(), "--summary");
    assertThat(run.toString(), run.exitCode, is(0));
    assertThat(run.out, equalTo(Files.readString(REAL_EXPECTED_SUMMARY)));
    assertThat(run.err, containsString("packets read: 209"));
  }

  @Test
  void summaryPrintsAddressesInTheRunsIpFormat() {
    CommandOutcome run =
        CommandOutcome.run(
            "-f", captures.resolve("*.snoop").toString(), "--summary", "--ip-format=plain");
    assertThat(run.toString(), run.exitCode, is(0));
    assertThat(run.out, equalTo(API_DB_SUMMARY_PLAIN));
  }

  @Test
  void withAnOutputPrefixTheSummaryGoesBesideTheRows() throws Exception {
    Path dir = Files.createDirectory(work.resolve("results"));
    CommandOutcome run =
        CommandOutcome.run("-f", REAL_CAPTURE.toString(), "--summary", "-o", dir.toString());
    assertThat(run.toString(), run.exitCode, is(0));
    assertThat(run.out, emptyString());
    assertThat(
        Files.readString(dir.resolve("connbal.tsv")), equalTo(Files.readString(REAL_EXPECTED)));
    Path summary = dir.resolve("connbal.summary.tsv");
    assertThat(Files.readString(summary), equalTo(Files.readString(REAL_EXPECTED_SUMMARY)));
    assertThat(run.err, containsString("connbal: wrote " + summary + "\n"));
  }

  @Test
  void reportIsWrittenBesideTheRowsOnStdout() throws Exception {
    Path report = work.resolve("balance.html");
    CommandOutcome run = CommandOutcome.run("-f", REAL_CAPTURE.toString(), "--report=" + report);
    assertThat(run.toString(), run.exitCode, is(0));
    assertThat(run.out, equalTo(Files.readString(REAL_EXPECTED)));
    String html = Files.readString(report);
    assertThat(html, startsWith("<!doctype html>"));
    assertThat(html, containsString("\"name\":\"web.lb.test.\""));
    assertThat(html, containsString("\"c\":\"198.018.000.011\""));
    assertThat(run.err, containsString("connbal: wrote " + report + "\n"));
  }

  /**
   * The summary and the report on embedded Flink are the Direct runner's: the summary the
   * hand-derived one, the report byte for byte the page a Direct run writes; per window too.
   */
  @Test
  void embeddedFlinkWritesTheSameSummaryAndReport() throws Exception {
    Path direct = work.resolve("direct.html");
    CommandOutcome onDirect =
        CommandOutcome.run("-f", REAL_CAPTURE.toString(), "--report=" + direct);
    assertThat(onDirect.toString(), onDirect.exitCode, is(0));

    Path dir = Files.createDirectory(work.resolve("flink"));
    Path report = work.resolve("flink.html");
    CommandOutcome onFlink =
        CommandOutcome.run(
            "--runner=FlinkRunner",
            "-f",
            REAL_CAPTURE.toString(),
            "--summary",
            "--report=" + report,
            "-o",
            dir.toString());
    assertThat(onFlink.toString(), onFlink.exitCode, is(0));
    assertThat(
        Files.readString(dir.resolve("connbal.tsv")), equalTo(Files.readString(REAL_EXPECTED)));
    assertThat(
        Files.readString(dir.resolve("connbal.summary.tsv")),
        equalTo(Files.readString(REAL_EXPECTED_SUMMARY)));
    assertThat(Files.readString(report), equalTo(Files.readString(direct)));
  }

  @Test
  void embeddedFlinkWritesTheDirectRunnersSummaryPerWindow() throws Exception {
    Map<String, String> direct = windowSummaries("direct");
    Map<String, String> flink = windowSummaries("flink", "--runner=FlinkRunner");
    assertThat(direct.size(), greaterThan(1));
    assertThat(flink, equalTo(direct));
  }

  /** The summary files of a run with 1 s windows over the real capture, by file name. */
  private Map<String, String> windowSummaries(String name, String... runner) throws IOException {
    Path dir = Files.createDirectory(work.resolve(name));
    List<String> args = new ArrayList<>(List.of(runner));
    args.addAll(
        List.of(
            "-f",
            REAL_CAPTURE.toString(),
            "--window=1s",
            "--summary",
            "-o",
            dir.resolve("balance").toString()));
    CommandOutcome run = CommandOutcome.run(args);
    assertThat(run.toString(), run.exitCode, is(0));
    Map<String, String> summaries = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        String fileName = file.getFileName().toString();
        if (fileName.startsWith("balance.summary-")) {
          summaries.put(fileName, Files.readString(file));
        }
      }
    }
    return summaries;
  }

  @Test
  void aReportOnAFileSystemNoOneKnowsFailsTheRun() {
    CommandOutcome run =
        CommandOutcome.run("-f", REAL_CAPTURE.toString(), "--report=nosuchfs://b/r.html");
    assertThat(run.toString(), run.exitCode, is(2));
    assertThat(run.err, containsString("nosuchfs"));
  }
}
