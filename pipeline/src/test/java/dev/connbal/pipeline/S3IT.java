package dev.connbal.pipeline;

import static dev.connbal.pipeline.OwnStderrLine.ownStderrLine;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import dev.connbal.snoop.testing.S3ProxyServer;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command over {@code s3://} against S3Proxy on loopback: captures read from a bucket, the TSV
 * written to another with {@code -o s3://...}, the results returned through an S3 temp location,
 * the run report's JSON written with {@code --run-report=s3://...}, with the path-style client that
 * {@code --s3-path-style} selects.
 */
class S3IT {
  @TempDir Path work;

  @Test
  void readsCapturesFromS3AndWritesTheTsvToS3() throws Exception {
    Path api = TestCaptures.writeApi(work.resolve("api.snoop"));
    Path db = TestCaptures.writeDb(work.resolve("db.snoop"));
    try (S3ProxyServer s3 = S3ProxyServer.startTransient()) {
      s3.createBucket("captures");
      s3.createBucket("results");
      s3.upload("captures", "2026/11/api.snoop", api);
      s3.upload("captures", "2026/11/db.snoop", db);

      List<String> args = s3Args(s3);
      args.addAll(
          List.of(
              "-f",
              "s3://captures/2026/*/*.snoop",
              "-f",
              "s3://captures/2026/12/missing.snoop",
              "-o",
              "s3://results/lb/run1",
              "--header",
              "--tempLocation=s3://results/tmp",
              "--run-report=s3://results/reports/run1.json"));
      CommandOutcome run = CommandOutcome.run(args);

      assertThat(run.toString(), run.exitCode, is(2));
      assertThat(run.out, emptyString());
      assertThat(
          run.err,
          containsString(
              "connbal: cannot read s3://captures/2026/12/missing.snoop: no such file\n"));
      assertThat(run.err, containsString("connbal: wrote s3://results/lb/run1.tsv\n"));
      assertThat(
          run.err, containsString("connbal: wrote run report s3://results/reports/run1.json\n"));
      assertThat(run.err, containsString("packets read: 12"));
      assertThat(run.err, not(containsString(S3ProxyServer.SECRET_KEY)));
      assertThat(run.err, not(containsString(S3ProxyServer.ACCESS_KEY)));
      assertThat(run.err.lines().collect(Collectors.toList()), everyItem(ownStderrLine()));

      CommandLine s3Only = CommandLine.parse(s3Args(s3).toArray(new String[0]));
      ConnBalCommand.registerOptions();
      ConnBalOptions options =
          PipelineOptionsFactory.fromArgs(s3Only.pipelineArgs().toArray(new String[0]))
              .as(ConnBalOptions.class);
      s3Only.applyTo(options);
      ConnBalCommand.configureFileSystems(options);
      assertThat(
          read("s3://results/lb/run1.tsv"),
          equalTo(TestCaptures.TSV_HEADER + TestCaptures.API_TSV + TestCaptures.DB_TSV));
      String reportText = read("s3://results/reports/run1.json");
      assertThat(reportText, not(containsString(S3ProxyServer.SECRET_KEY)));
      assertThat(reportText, not(containsString(S3ProxyServer.ACCESS_KEY)));
      JsonNode report = RunReportJsonTest.parse(reportText);
      assertThat(report.get("format_version").asInt(), is(1));
      assertThat(report.get("exit_status").asInt(), is(2));
      assertThat(report.get("kind").asText(), equalTo("INPUT_ERROR"));
      assertThat(report.get("runner").get("name").asText(), equalTo("DirectRunner"));
      assertThat(
          RunReportJsonTest.texts(report.get("inputs").get("given")),
          contains("s3://captures/2026/*/*.snoop", "s3://captures/2026/12/missing.snoop"));
      assertThat(report.get("inputs").get("files").asInt(), is(2));
      assertThat(
          report.get("output").get("location").asText(), equalTo("s3://results/lb/run1.tsv"));
      assertThat(report.get("output").get("written").asBoolean(), is(true));
      assertThat(report.get("output").get("partial").asBoolean(), is(true));
      // TestCaptures: 9 packets in api.snoop, 3 in db.snoop.
      assertThat(RunReportJsonTest.counters(report).get("packets"), is(12L));
      assertThat(
          RunReportJsonTest.counters(report), equalTo(RunReportJsonTest.stderrCounters(run.err)));
      JsonNode missing = report.get("inputs_with_errors");
      assertThat(missing.size(), is(1));
      assertThat(
          missing.get(0).get("input").asText(), equalTo("s3://captures/2026/12/missing.snoop"));
      assertThat(
          RunReportJsonTest.fields(missing.get(0).get("error_counts")),
          equalTo(Map.of("NO_SUCH_FILE", 1L)));
      assertThat(
          "only the report under reports/",
          FileSystems.match("s3://results/reports/**", EmptyMatchTreatment.ALLOW).metadata().size(),
          is(1));
      assertThat(
          "temporary results deleted",
          FileSystems.match("s3://results/tmp/**", EmptyMatchTreatment.ALLOW).metadata().size(),
          is(0));

      List<String> toStdout = s3Args(s3);
      toStdout.addAll(List.of("-f", "s3://captures/2026/11/api.snoop"));
      CommandOutcome stdout = CommandOutcome.run(toStdout);
      assertThat(stdout.toString(), stdout.exitCode, is(0));
      assertThat(stdout.out, equalTo(TestCaptures.API_TSV));
    }
  }

  /**
   * A watch of a bucket: captures uploaded over time are taken (each once), and the watch writes to
   * S3 the window files that a run over both at once writes.
   */
  @Test
  void watchesABucketForCapturesUploadedOverTime() throws Exception {
    Path api = TestCaptures.writeApi(work.resolve("api.snoop"));
    Path db = TestCaptures.writeDb(work.resolve("db.snoop"));
    try (S3ProxyServer s3 = S3ProxyServer.startTransient()) {
      s3.createBucket("captures");
      s3.createBucket("results");
      List<String> args = s3Args(s3);
      args.addAll(
          List.of(
              "--watch",
              "-f",
              "s3://captures/edge/*.snoop",
              "--window=10s",
              "--poll-interval=300ms",
              "--watch-until=3s",
              "--runner=DirectRunner",
              "-o",
              "s3://results/watch/balance",
              "--tempLocation=s3://results/tmp"));
      CommandOutcome[] watch = new CommandOutcome[1];
      Thread watching = new Thread(() -> watch[0] = CommandOutcome.run(args));
      watching.start();
      Thread.sleep(1000);
      s3.upload("captures", "edge/api.snoop", api); // capture time 99-104 s
      Thread.sleep(1500);
      s3.upload("captures", "edge/db.snoop", db); // capture time 200-201 s
      watching.join(120_000);
      assertThat(String.valueOf(watch[0]), watch[0].exitCode, is(0));
      // TestCaptures: api.snoop has 9 packets, db.snoop 3.
      assertThat(watch[0].err, containsString("packets read: 12\n"));

      List<String> batch = s3Args(s3);
      batch.addAll(
          List.of(
              "-f",
              "s3://captures/edge/*.snoop",
              "--window=10s",
              "-o",
              "s3://results/batch/balance",
              "--tempLocation=s3://results/tmp"));
      CommandOutcome once = CommandOutcome.run(batch);
      assertThat(once.toString(), once.exitCode, is(0));
      Map<String, String> batchWindows = windowFiles("s3://results/batch/");
      assertThat(
          "api.snoop's window 100-110 s and db.snoop's 200-210 s", batchWindows.size(), is(2));
      assertThat(windowFiles("s3://results/watch/"), equalTo(batchWindows));
    }
  }

  /** The files under {@code dir}, by name, with their contents. */
  private static Map<String, String> windowFiles(String dir) throws Exception {
    Map<String, String> files = new TreeMap<>();
    for (MatchResult.Metadata m :
        FileSystems.match(dir + "*", EmptyMatchTreatment.ALLOW).metadata()) {
      files.put(m.resourceId().getFilename(), read(m.resourceId().toString()));
    }
    return files;
  }

  /** S3Proxy's endpoint, region and credentials, with connbal's own path-style switch. */
  private static List<String> s3Args(S3ProxyServer s3) {
    List<String> args = new ArrayList<>();
    for (String arg : s3.pipelineOptionsArgs()) {
      if (!arg.startsWith("--s3ClientFactoryClass=")) {
        args.add(arg);
      }
    }
    args.add("--s3-path-style");
    return args;
  }

  private static String read(String uri) throws Exception {
    try (InputStream in =
        Channels.newInputStream(FileSystems.open(FileSystems.matchNewResource(uri, false)))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
