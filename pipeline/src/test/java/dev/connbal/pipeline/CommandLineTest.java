package dev.connbal.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.connbal.transforms.output.IpFormat;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

class CommandLineTest {

  @Test
  void originalFlagsKeepTheirMeaning() throws Exception {
    CommandLine cl = CommandLine.parse("-a", "-F", "example.com", "-f", "a.snoop", "-f", "b.snoop");
    assertThat(cl.allStreams(), is(true));
    assertThat(cl.nameFilter(), equalTo(Optional.of("example.com")));
    assertThat(cl.inputs(), contains("a.snoop", "b.snoop"));
    assertThat(cl.pipelineArgs(), is(empty()));
    assertThat(cl.help(), is(false));
  }

  @Test
  void allStreamsGoesWithWindows() throws Exception {
    CommandLine cl = CommandLine.parse("-a", "-f", "a.snoop", "--window=1m");
    assertThat(cl.allStreams(), is(true));
    assertThat(cl.window(), equalTo(Optional.of(java.time.Duration.ofMinutes(1))));
  }

  @Test
  void shortFlagsBundleAndTakeAttachedValuesLikeGetopt() throws Exception {
    CommandLine cl = CommandLine.parse("-afx.snoop", "-Fsvc", "-o", "out/res");
    assertThat(cl.allStreams(), is(true));
    assertThat(cl.inputs(), contains("x.snoop"));
    assertThat(cl.nameFilter(), equalTo(Optional.of("svc")));
    assertThat(cl.output(), equalTo(Optional.of("out/res")));
  }

  @Test
  void globsWithCommasStayOnePattern() throws Exception {
    CommandLine cl = CommandLine.parse("-f", "caps/{a,b}.snoop", "--file=s3://bucket/x,y/*.snoop");
    assertThat(cl.inputs(), contains("caps/{a,b}.snoop", "s3://bucket/x,y/*.snoop"));
  }

  @Test
  void longOptionsTakeValuesWithEqualsOrAsNextWord() throws Exception {
    CommandLine cl =
        CommandLine.parse(
            "--split-size=64K",
            "--ip-format",
            "PLAIN",
            "--header",
            "--s3-path-style",
            "--output=s3://b/r",
            "--name-filter=api");
    assertThat(cl.splitSize(), equalTo(Optional.of(65536L)));
    assertThat(cl.ipFormat(), equalTo(Optional.of(IpFormat.PLAIN)));
    assertThat(cl.header(), is(true));
    assertThat(cl.s3PathStyle(), is(true));
    assertThat(cl.output(), equalTo(Optional.of("s3://b/r")));
    assertThat(cl.nameFilter(), equalTo(Optional.of("api")));
  }

  @Test
  void splitSizeAcceptsPlainBytesAndBinarySuffixes() throws Exception {
    assertThat(CommandLine.parse("--split-size=1000").splitSize().get(), is(1000L));
    assertThat(CommandLine.parse("--split-size=3m").splitSize().get(), is(3L << 20));
    assertThat(CommandLine.parse("--split-size=2G").splitSize().get(), is(2L << 30));
  }

  @Test
  void beamOptionsPassThroughUntouched() throws Exception {
    CommandLine cl =
        CommandLine.parse(
            "--runner=FlinkRunner", "--parallelism=2", "-f", "a.snoop", "--flinkMaster", "h:8081");
    assertThat(
        cl.pipelineArgs(),
        contains("--runner=FlinkRunner", "--parallelism=2", "--flinkMaster=h:8081"));
  }

  @Test
  void helpShortLongAndWithTopic() throws Exception {
    assertThat(CommandLine.parse("-h").help(), is(true));
    assertThat(CommandLine.parse("--help").help(), is(true));
    CommandLine topic = CommandLine.parse("--help=FlinkPipelineOptions");
    assertThat(topic.help(), is(true));
    assertThat(topic.helpTopic(), equalTo(Optional.of("FlinkPipelineOptions")));
  }

  @Test
  void appliesOnlyGivenSettingsToTheOptions() throws Exception {
    ConnBalOptions options = PipelineOptionsFactory.as(ConnBalOptions.class);
    CommandLine.parse("-f", "a", "-f", "b", "--ip-format=plain", "--header").applyTo(options);
    assertThat(options.getInputs(), equalTo(List.of("a", "b")));
    assertThat(options.getIpFormat(), is(IpFormat.PLAIN));
    assertThat(options.getHeader(), is(true));
    assertThat(options.getAllStreams(), is(false));
    assertThat(options.getSplitSize(), is(64L << 20));
    assertThat(options.getNameFilter(), is((String) null));
  }

  @Test
  void usageErrorsSayWhatIsWrong() {
    assertUsageError("unknown option -x", "-x");
    assertUsageError("option -f needs a value", "-f");
    assertUsageError("option --output needs a value", "--output");
    assertUsageError("unexpected argument 'capture.snoop'", "capture.snoop");
    assertUsageError("--ip-format must be padded or plain, got 'hex'", "--ip-format=hex");
    assertUsageError("--split-size must be at least 64 bytes", "--split-size=10");
    assertUsageError("--split-size needs a byte count", "--split-size=lots");
    assertUsageError("--split-size needs a byte count", "--split-size=99999999999G");
    assertUsageError("-F given twice", "-F", "a", "-F", "b");
    assertUsageError("-o given twice", "-o", "a", "-o", "b");
    assertUsageError("option --header takes no value", "--header=yes");
    assertUsageError("-f needs a file", "-f", "");
    assertUsageError("--run-report needs a file path or URI", "--run-report=");
    assertUsageError("--run-report needs a file path or URI", "--run-report=s3://bucket/");
    assertUsageError("--run-report given twice", "--run-report=a.json", "--run-report=b.json");
  }

  @Test
  void runReportTakesAPathOrUriAndStaysOutOfBeamsOptions() throws Exception {
    CommandLine local = CommandLine.parse("-f", "a.snoop", "--run-report=/var/log/connbal.json");
    assertThat(local.runReport(), equalTo(Optional.of("/var/log/connbal.json")));
    assertThat(local.pipelineArgs(), is(empty()));
    CommandLine s3 = CommandLine.parse("--run-report", "s3://ops/connbal/report.json");
    assertThat(s3.runReport(), equalTo(Optional.of("s3://ops/connbal/report.json")));
    assertThat(CommandLine.parse("-f", "a.snoop").runReport(), equalTo(Optional.empty()));
  }

  @Test
  void summaryAndReportAreConnbalsOwnAndReachTheOptions() throws Exception {
    CommandLine cl = CommandLine.parse("-f", "a.snoop", "--summary", "--report", "s3://b/lb.html");
    assertThat(cl.summary(), is(true));
    assertThat(cl.report(), equalTo(Optional.of("s3://b/lb.html")));
    assertThat(cl.pipelineArgs(), is(empty()));
    ConnBalOptions options = PipelineOptionsFactory.as(ConnBalOptions.class);
    cl.applyTo(options);
    assertThat(options.getSummary(), is(true));
    assertThat(options.getReport(), equalTo("s3://b/lb.html"));
    ConnBalOptions none = PipelineOptionsFactory.as(ConnBalOptions.class);
    CommandLine.parse("-f", "a.snoop").applyTo(none);
    assertThat(none.getSummary(), is(false));
    assertThat(none.getReport(), is((String) null));
  }

  @Test
  void summaryWithoutOutputTakesNoRowFormat() throws Exception {
    assertUsageError("--summary prints the summary instead of the rows", "--summary", "--header");
    assertUsageError(
        "--summary prints the summary instead of the rows", "--summary", "--format=jsonl");
    assertUsageError("option --summary takes no value", "--summary=yes");
    assertUsageError("--report needs a file path or URI", "--report=");
    assertUsageError("--report needs a file path or URI", "--report=out/");
    assertUsageError("--report given twice", "--report=a.html", "--report=b.html");
    // With -o the rows are written too, in any format; a TSV format on stdout is no conflict.
    assertThat(CommandLine.parse("--summary", "--format=csv", "-o", "out").summary(), is(true));
    assertThat(CommandLine.parse("--summary", "--format=tsv").summary(), is(true));
  }

  /** A usage error still tells where the report goes, before or after the wrong argument. */
  @Test
  void aUsageErrorCarriesWhatTheRestOfTheLineGave() {
    UsageException after =
        assertThrows(
            UsageException.class,
            () -> CommandLine.parse("-x", "-f", "a.snoop", "--run-report=r.json", "-o", ""));
    assertThat(after.getMessage(), equalTo("unknown option -x"));
    assertThat(after.parsed().get().runReport(), equalTo(Optional.of("r.json")));
    assertThat(after.parsed().get().inputs(), contains("a.snoop"));
    UsageException before =
        assertThrows(
            UsageException.class,
            () -> CommandLine.parse("--run-report", "r.json", "--split-size=1"));
    assertThat(before.getMessage(), containsString("--split-size must be at least 64 bytes"));
    assertThat(before.parsed().get().runReport(), equalTo(Optional.of("r.json")));
  }

  private static void assertUsageError(String expected, String... args) {
    UsageException e = assertThrows(UsageException.class, () -> CommandLine.parse(args));
    assertThat(e.getMessage(), containsString(expected));
  }
}
