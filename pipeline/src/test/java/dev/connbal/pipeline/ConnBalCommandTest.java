package dev.connbal.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command on the Direct runner: arguments, inputs, outputs, exit codes, messages. */
class ConnBalCommandTest {
  @TempDir static Path captures;
  static Path api;
  static Path db;

  @TempDir Path work;

  @BeforeAll
  static void writeCaptures() {
    api = TestCaptures.writeApi(captures.resolve("api.snoop"));
    db = TestCaptures.writeDb(captures.resolve("db.snoop"));
  }

  @Test
  void printsTheTsvOnStdoutAndTheReportOnStderr() {
    CommandOutcome run = CommandOutcome.run("-f", api.toString());
    assertThat(run.toString(), run.exitCode, is(0));
    assertThat(run.out, equalTo(TestCaptures.API_TSV));
    assertThat(run.err, containsString("packets read: 9"));
    assertThat(run.err, not(containsString("Exception")));
  }

  @Test
  void readsSeveralFilesAndGlobsAsOneTimeline() {
    CommandOutcome run = CommandOutcome.run("-f", captures.resolve("*.snoop").toString());
    assertThat(run.toString(), run.exitCode, is(0));
    assertThat(run.out, equalTo(TestCaptures.API_TSV + TestCaptures.DB_TSV));
    assertThat(run.err, containsString("packets read: 12"));
  }

  @Test
  void aFileMatchedTwiceIsReadOnce() {
    CommandOutcome run =
        CommandOutcome.run("-f", api.toString(), "-f", captures.resolve("a*.snoop").toString());
    assertThat(run.toString(), run.exitCode, is(0));
    assertThat(run.err, containsString("packets read: 9"));
  }

  @Test
  void aMissingFileAmongOthersExitsTwoAfterPrintingTheOthers() {
    Path missing = captures.resolve("missing.snoop");
    CommandOutcome run =
        CommandOutcome.run(
            "-f",
            api.toString(),
            "-f",
            missing.toString(),
            "-f",
            db.toString(),
            "-f",
            captures.resolve("none-*.snoop").toString());
    assertThat(run.toString(), run.exitCode, is(2));
    assertThat(run.out, equalTo(TestCaptures.API_TSV + TestCaptures.DB_TSV));
    assertThat(run.err, containsString("connbal: cannot read " + missing + ": no such file\n"));
    assertThat(
        run.err,
        containsString(
            "connbal: cannot read " + captures.resolve("none-*.snoop") + ": no file matches\n"));
    assertThat(run.err, containsString("packets read: 12"));
  }

  @Test
  void noReadableInputStillPrintsAnEmptySummary() {
    Path missing = captures.resolve("missing.snoop");
    CommandOutcome run = CommandOutcome.run("-f", missing.toString());
    assertThat(run.toString(), run.exitCode, is(2));
    assertThat(run.out, emptyString());
    assertThat(run.err, startsWith("connbal: cannot read " + missing + ": no such file\n"));
    assertThat(run.err, containsString("packets read: 0"));
  }

  @Test
  void aFileThatIsNotASnoopCaptureExitsTwoNamingIt() throws Exception {
    Path text = Files.writeString(work.resolve("notes.snoop"), "these are not packets\n");
    CommandOutcome run = CommandOutcome.run("-f", api.toString(), "-f", text.toString());
    assertThat(run.toString(), run.exitCode, is(2));
    assertThat(run.out, equalTo(TestCaptures.API_TSV));
    String errorLine =
        run.err.lines().filter(l -> l.contains(text.toString())).findFirst().orElse("");
    assertThat(run.toString(), errorLine, startsWith("connbal: "));
    assertThat(run.err, not(containsString("\tat ")));
  }

  @Test
  void readsASnoopStreamFromStdinWithoutFiles() throws Exception {
    byte[] bytes = Files.readAllBytes(api);
    CommandOutcome run = CommandOutcome.runWithStdin(new ByteArrayInputStream(bytes));
    assertThat(run.toString(), run.exitCode, is(0));
    assertThat(run.out, equalTo(TestCaptures.API_TSV));
    assertThat(run.err, containsString("packets read: 9"));
  }

  @Test
  void readsAGzipStreamFromStdinToldByItsMagic() throws Exception {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
      z.write(Files.readAllBytes(api));
    }
    CommandOutcome run = CommandOutcome.runWithStdin(new ByteArrayInputStream(gz.toByteArray()));
    assertThat(run.toString(), run.exitCode, is(0));
    assertThat(run.out, equalTo(TestCaptures.API_TSV));
    assertThat(run.err, containsString("packets read: 9"));
  }

  @Test
  void emptyStdinIsAnInputErrorNamedStdin() {
    CommandOutcome run = CommandOutcome.run();
    assertThat(run.toString(), run.exitCode, is(2));
    assertThat(run.out, emptyString());
    assertThat(run.err, containsString("<stdin>"));
    assertThat(run.err, not(containsString("connbal-stdin-")));
  }

  @Test
  void headerOptionStartsTheTsvWithColumnNames() {
    CommandOutcome run = CommandOutcome.run("--header", "-f", api.toString());
    assertThat(run.toString(), run.exitCode, is(0));
    assertThat(run.out, equalTo(TestCaptures.TSV_HEADER + TestCaptures.API_TSV));
  }

  @Test
  void plainIpFormat() {
    CommandOutcome run = CommandOutcome.run("--ip-format=plain", "-f", api.toString());
    assertThat(run.toString(), run.exitCode, is(0));
    assertThat(run.out, equalTo(TestCaptures.API_TSV_PLAIN));
  }

  @Test
  void csvGoesToStdoutWithAHeaderAndAnEmptyUnknownPort() {
    CommandOutcome run =
        CommandOutcome.run("--format=csv", "-f", api.toString(), "-f", db.toString());
    assertThat(run.toString(), run.exitCode, is(0));
    assertThat(
        run.out,
        equalTo(
            "client,backend,port,conns,dns,name,srvPriority,srvWeight\r\n"
                + "10.0.0.1,10.0.1.1,443,2,1,api.example.com.,,\r\n"
                + "10.0.0.1,10.0.1.2,443,1,1,api.example.com.,,\r\n"
                + "10.0.0.2,10.0.2.1,5432,1,1,db.example.org.,,\r\n"
                + "10.0.0.2,10.0.2.2,,0,1,db.example.org.,,\r\n"));
  }

  @Test
  void jsonLinesGoUnderTheOutputPrefixWithNullForTheUnknownPort() throws Exception {
    Path prefix = work.resolve("json/run1");
    CommandOutcome run =
        CommandOutcome.run("--format", "JSONL", "-o", prefix.toString(), "-f", db.toString());
    assertThat(run.toString(), run.exitCode, is(0));
    assertThat(run.out, emptyString());
    Path written = work.resolve("json/run1.jsonl");
    assertThat(run.err, containsString("connbal: wrote " + written + "\n"));
    assertThat(
        Files.readString(written, StandardCharsets.UTF_8),
        equalTo(
            "{\"client\":\"10.0.0.2\",\"backend\":\"10.0.2.1\",\"port\":5432,\"conns\":1,"
                + "\"dns\":1,\"name\":\"db.example.org.\",\"srvPriority\":null,"
                + "\"srvWeight\":null}\n"
                + "{\"client\":\"10.0.0.2\",\"backend\":\"10.0.2.2\",\"port\":null,\"conns\":0,"
                + "\"dns\":1,\"name\":\"db.example.org.\",\"srvPriority\":null,"
                + "\"srvWeight\":null}\n"));
  }

  @Test
  void parquetGoesUnderTheOutputPrefixWithTheSameRows() throws Exception {
    Path prefix = work.resolve("parquet/run1");
    CommandOutcome run =
        CommandOutcome.run(
            "--format=parquet", "-o", prefix.toString(), "-f", api.toString(), "-f", db.toString());
    assertThat(run.toString(), run.exitCode, is(0));
    assertThat(run.out, emptyString());
    Path written = work.resolve("parquet/run1-00000-of-00001.parquet");
    assertThat(run.err, containsString("connbal: wrote " + written + "\n"));
    // The rows of TestCaptures.API_TSV and DB_TSV, the unknown port null.
    assertThat(
        ParquetFiles.fieldValues(written),
        containsInAnyOrder(
            Arrays.asList("10.0.0.1", "10.0.1.1", 443, 2L, 1L, "api.example.com.", null, null),
            Arrays.asList("10.0.0.1", "10.0.1.2", 443, 1L, 1L, "api.example.com.", null, null),
            Arrays.asList("10.0.0.2", "10.0.2.1", 5432, 1L, 1L, "db.example.org.", null, null),
            Arrays.asList("10.0.0.2", "10.0.2.2", null, 0L, 1L, "db.example.org.", null, null)));
  }

  @Test
  void formatsThatDoNotFitTheOtherOptionsAreUsageErrors() {
    for (String[] args :
        List.of(
            new String[] {"--format=xml", "-f", api.toString()},
            new String[] {"--format=parquet", "-f", api.toString()},
            new String[] {"--format=csv", "--header", "-f", api.toString()})) {
      CommandOutcome run = CommandOutcome.run(args);
      assertThat(run.toString(), run.exitCode, is(1));
      assertThat(run.out, emptyString());
    }
    assertThat(
        CommandOutcome.run("--format=parquet", "-f", api.toString()).err,
        containsString("--format=parquet writes files: give them a prefix with -o PREFIX"));
  }

  @Test
  void allStreamsAndNameFilterReachTheAnalysis() {
    CommandOutcome all = CommandOutcome.run("-a", "-f", api.toString());
    assertThat(all.toString(), all.out, equalTo(TestCaptures.API_TSV_ALL_STREAMS));
    CommandOutcome filtered =
        CommandOutcome.run("-F", "EXAMPLE.ORG", "-f", api.toString(), "-f", db.toString());
    assertThat(filtered.toString(), filtered.out, equalTo(TestCaptures.DB_TSV));
  }

  @Test
  void outputPrefixWritesOneTsvFileAndSaysWhich() throws Exception {
    Path prefix = work.resolve("results/run1");
    CommandOutcome run =
        CommandOutcome.run("-o", prefix.toString(), "--header", "-f", api.toString());
    assertThat(run.toString(), run.exitCode, is(0));
    assertThat(run.out, emptyString());
    Path written = work.resolve("results/run1.tsv");
    assertThat(run.err, containsString("connbal: wrote " + written + "\n"));
    assertThat(
        Files.readString(written, StandardCharsets.UTF_8),
        equalTo(TestCaptures.TSV_HEADER + TestCaptures.API_TSV));
    try (Stream<Path> files = Files.list(work.resolve("results"))) {
      assertThat(files.count(), is(1L));
    }
  }

  @Test
  void outputIntoAnExistingDirectoryWritesConnbalTsv() throws Exception {
    Path dir = Files.createDirectories(work.resolve("out"));
    CommandOutcome run = CommandOutcome.run("-o", dir.toString(), "-f", db.toString());
    assertThat(run.toString(), run.exitCode, is(0));
    assertThat(Files.readString(dir.resolve("connbal.tsv")), equalTo(TestCaptures.DB_TSV));
  }

  @Test
  void splitSizeDoesNotChangeTheResult() {
    CommandOutcome run = CommandOutcome.run("--split-size=64", "-f", api.toString());
    assertThat(run.toString(), run.exitCode, is(0));
    assertThat(run.out, equalTo(TestCaptures.API_TSV));
  }

  @Test
  void leavesNothingBehindInTheTempLocation() throws Exception {
    Path temp = Files.createDirectories(work.resolve("temp"));
    CommandOutcome run =
        CommandOutcome.run("--tempLocation=" + temp, "-f", api.toString(), "-f", db.toString());
    assertThat(run.toString(), run.exitCode, is(0));
    try (Stream<Path> left = Files.walk(temp)) {
      assertThat(left.filter(p -> !p.equals(temp)).count(), is(0L));
    }
  }

  /**
   * Parallelism 32, a 32-core machine's default: Flink's local default of 128 MiB of managed memory
   * for all slots left each sort too little ("Too little memory provided to sorter").
   */
  @Test
  void embeddedFlinkRunsAtTheParallelismOfAManyCoreMachine() throws Exception {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    long confDirsBefore = flinkConfDirsIn(tmp);

    CommandOutcome run =
        CommandOutcome.run("--runner=FlinkRunner", "--parallelism=32", "-f", api.toString());

    assertThat(run.toString(), run.exitCode, is(0));
    assertThat(run.out, equalTo(TestCaptures.API_TSV));
    assertThat(flinkConfDirsIn(tmp), is(confDirsBefore));
  }

  private static long flinkConfDirsIn(Path directory) throws Exception {
    try (Stream<Path> entries = Files.list(directory)) {
      return entries
          .filter(p -> p.getFileName().toString().startsWith("connbal-flink-conf-"))
          .count();
    }
  }

  @Test
  void usageErrorsExitOneWithAMessageAndNoRun() {
    CommandOutcome unknown = CommandOutcome.run("-x");
    assertThat(unknown.exitCode, is(1));
    assertThat(unknown.out, emptyString());
    assertThat(
        unknown.err,
        equalTo("connbal: unknown option -x\nTry 'connbal --help' for more information.\n"));

    CommandOutcome positional = CommandOutcome.run(api.toString());
    assertThat(positional.exitCode, is(1));
    assertThat(positional.err, containsString("capture files are given with -f PATH"));

    CommandOutcome beam = CommandOutcome.run("--noSuchOption=1", "-f", api.toString());
    assertThat(beam.exitCode, is(1));
    assertThat(beam.err, startsWith("connbal: "));
    assertThat(beam.err, containsString("noSuchOption"));
    assertThat(beam.err.lines().count(), is(2L));

    CommandOutcome badSplit = CommandOutcome.run("--splitSize=8", "-f", api.toString());
    assertThat(badSplit.exitCode, is(1));
    assertThat(badSplit.err, containsString("at least 64 bytes"));
  }

  @Test
  void credentialsNeverReachStderr() {
    String secret = "wJalrXUtnFEMIK7MDENGbPxRfiCYzEXAMPLEKEY";
    CommandOutcome run =
        CommandOutcome.run(
            "--awsCredentialsProvider={\"@type\":\"StaticCredentialsProvider\","
                + "\"accessKeyId\":\"AKIACONNBAL\",\"secretAccessKey\":\""
                + secret
                + "\"",
            "-f",
            api.toString());
    assertThat(run.exitCode, is(1));
    assertThat(run.err, not(containsString(secret)));
    assertThat(run.err, not(containsString("AKIACONNBAL")));
  }

  @Test
  void liveProgressComesFromSnoopIoMetricsWhileTheDirectRunnerRuns() throws Exception {
    // The default mode reads each capture once.
    assertProgressReaches(1, TestCaptures.API_TSV, "-f", api.toString());
  }

  @Test
  void liveProgressCountsBothReadsOfTheAllStreamsMode() throws Exception {
    assertProgressReaches(2, TestCaptures.API_TSV_ALL_STREAMS, "-a", "-f", api.toString());
  }

  /**
   * Runs with a live progress line and checks the output and that the line ended at {@code reads}
   * times the input.
   */
  private void assertProgressReaches(int reads, String expectedTsv, String... args)
      throws Exception {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    int exit =
        new ConnBalCommand(InterruptHook.none(), true)
            .execute(
                args,
                new ByteArrayInputStream(new byte[0]),
                new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
                new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
    String stderr = err.toString(StandardCharsets.UTF_8);
    assertThat(stderr, exit, is(0));
    assertThat(out.toString(StandardCharsets.UTF_8), equalTo(expectedTsv));
    assertThat(stderr, containsString("packets read: 9"));
    long total = reads * (Files.size(api) - dev.connbal.snoop.SnoopWriter.FILE_HEADER_LENGTH);
    assertThat(
        stderr,
        containsString(
            "\rconnbal: read "
                + ProgressLine.size(total)
                + " of "
                + ProgressLine.size(total)
                + " (100%)"));
  }

  @Test
  void helpPrintsUsageAndExamplesOnStdout() {
    CommandOutcome run = CommandOutcome.run("--help");
    assertThat(run.exitCode, is(0));
    assertThat(run.out, startsWith("Usage: connbal "));
    assertThat(run.out, containsString("Examples:"));
    assertThat(run.out, containsString("--runner=FlinkRunner"));
    assertThat(run.err, emptyString());
    assertThat(CommandOutcome.run("-h").out, equalTo(run.out));
  }

  @Test
  void helpForABeamOptionsInterfaceListsItsOptions() {
    CommandOutcome flink = CommandOutcome.run("--help=FlinkPipelineOptions");
    assertThat(flink.exitCode, is(0));
    assertThat(flink.out, containsString("--flinkMaster"));
    CommandOutcome unknown = CommandOutcome.run("--help=NoSuchOptions");
    assertThat(unknown.exitCode, is(1));
    assertThat(unknown.err, containsString("no pipeline options named 'NoSuchOptions'"));
  }
}
