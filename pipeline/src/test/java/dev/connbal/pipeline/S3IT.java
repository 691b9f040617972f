package dev.connbal.pipeline;

import static dev.connbal.pipeline.OwnStderrLine.ownStderrLine;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import dev.connbal.snoop.testing.S3ProxyServer;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command over {@code s3://} against S3Proxy on loopback: captures read from a bucket, the
 * TSV written to another with {@code -o s3://...}, the results returned through an S3 temp
 * location, with the path-style client that {@code --s3-path-style} selects.
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
              "-f", "s3://captures/2026/*/*.snoop",
              "-f", "s3://captures/2026/12/missing.snoop",
              "-o", "s3://results/lb/run1",
              "--header",
              "--tempLocation=s3://results/tmp"));
      CommandOutcome run = CommandOutcome.run(args);

      assertThat(run.toString(), run.exitCode, is(2));
      assertThat(run.out, emptyString());
      assertThat(
          run.err,
          containsString(
              "connbal: cannot read s3://captures/2026/12/missing.snoop: no such file\n"));
      assertThat(run.err, containsString("connbal: wrote s3://results/lb/run1.tsv\n"));
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
