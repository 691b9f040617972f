package dev.connbal.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.connbal.transforms.report.RunReport;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --run-report=PATH}: the JSON document read back and checked field by field against what is
 * known of the run without running it (the captures' hand-derived counts, the exit status, the
 * error kinds), for successful, damaged, failing, stopped and unwritable runs.
 */
class RunReportJsonTest {
  /** The bundled real capture (surefire runs in the module's directory). */
  private static final Path REAL_CAPTURE = Path.of("../examples/real-capture/capture.snoop");

  private static final Path REAL_EXPECTED_TSV = Path.of("../examples/real-capture/expected.tsv");

  /** Each stderr report label and the JSON name of its counter (README, "Scheduled runs"). */
  private static final Map<String, String> COUNTER_NAMES = new LinkedHashMap<>();

  static {
    COUNTER_NAMES.put("packets read", "packets");
    COUNTER_NAMES.put("frame bytes read", "frame_bytes");
    COUNTER_NAMES.put("corrupt regions skipped", "corrupt_regions");
    COUNTER_NAMES.put("corrupt bytes skipped", "corrupt_bytes");
    COUNTER_NAMES.put("truncated records", "truncated_records");
    COUNTER_NAMES.put("truncated bytes", "truncated_bytes");
    COUNTER_NAMES.put("files with errors", "files_with_errors");
    COUNTER_NAMES.put("DNS messages malformed", "dns_malformed");
    COUNTER_NAMES.put("DNS responses without a matching query", "responses_without_query");
    COUNTER_NAMES.put(
        "frames skipped for an unsupported link type", "unsupported_link_type_frames");
    COUNTER_NAMES.put("frames skipped as not IP", "not_ip_frames");
    COUNTER_NAMES.put(
        "frames skipped without a readable transport header (ESP, No Next Header)",
        "no_transport_header_frames");
    COUNTER_NAMES.put("frames skipped as malformed", "malformed_frames");
    COUNTER_NAMES.put("IP fragments skipped", "fragments_skipped");
    COUNTER_NAMES.put("DNS-over-TCP messages lost to gaps", "tcp_dns_messages_lost");
    COUNTER_NAMES.put("late packets", "late_packets");
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path captures;
  static Path api;

  @TempDir Path work;

  @BeforeAll
  static void writeCaptures() {
    api = TestCaptures.writeApi(captures.resolve("api.snoop"));
  }

  @Test
  void aSuccessfulRunReportsWhatItReadAndHowItRan() throws Exception {
    Path report = work.resolve("reports/2026-05-01/connbal.json");
    Instant before = Instant.now();
    CommandOutcome run =
        CommandOutcome.run("-f", REAL_CAPTURE.toString(), "--run-report=" + report);
    Instant after = Instant.now();

    assertThat(run.toString(), run.exitCode, is(0));
    assertThat(run.out, equalTo(Files.readString(REAL_EXPECTED_TSV)));
    assertThat(run.err, endsWith("connbal: wrote run report " + report + "\n"));
    JsonNode json = read(report);

    assertThat(json.get("format_version").asInt(), is(1));
    assertThat(json.get("exit_status").asInt(), is(0));
    assertThat(json.get("kind").asText(), equalTo("OK"));
    assertThat(json.get("meaning").asText(), equalTo("success"));
    assertThat(texts(json.get("errors")), is(List.of()));
    Instant started = Instant.parse(json.get("started_at").asText());
    Instant ended = Instant.parse(json.get("ended_at").asText());
    assertThat(json.get("started_at").asText(), endsWith("Z"));
    assertThat(started, greaterThanOrEqualTo(before.minusMillis(1)));
    assertThat(ended, greaterThanOrEqualTo(started));
    assertThat(ended, lessThanOrEqualTo(after));
    assertThat(json.get("runner").get("name").asText(), equalTo("DirectRunner"));
    assertThat(json.get("runner").get("embedded").asBoolean(), is(true));
    assertThat(json.get("runner").get("flink_master").isNull(), is(true));
    assertThat(json.get("runner").get("chosen_by").asText(), equalTo("DEFAULT"));
    assertThat(texts(json.get("inputs").get("given")), contains(REAL_CAPTURE.toString()));
    assertThat(json.get("inputs").get("files").asInt(), is(1));
    assertThat(json.get("inputs").get("stdin_interrupted").asBoolean(), is(false));
    assertThat(json.get("output").get("location").asText(), equalTo("stdout"));
    assertThat(json.get("output").get("written").asBoolean(), is(true));
    assertThat(json.get("output").get("partial").asBoolean(), is(false));
    assertThat(json.get("inputs_with_errors").size(), is(0));

    // examples/real-capture/DERIVATION.md: 209 Ethernet frames, 18659 bytes, 10 of them ARP and
    // none IPv6; every DNS message decodes and every response answers a query; no damage, no
    // fragments.
    Map<String, Long> expected = new LinkedHashMap<>();
    expected.put("packets", 209L);
    expected.put("frame_bytes", 18659L);
    expected.put("corrupt_regions", 0L);
    expected.put("corrupt_bytes", 0L);
    expected.put("truncated_records", 0L);
    expected.put("truncated_bytes", 0L);
    expected.put("files_with_errors", 0L);
    expected.put("dns_malformed", 0L);
    expected.put("responses_without_query", 0L);
    expected.put("unsupported_link_type_frames", 0L);
    expected.put("not_ip_frames", 10L);
    expected.put("no_transport_header_frames", 0L);
    expected.put("malformed_frames", 0L);
    expected.put("fragments_skipped", 0L);
    expected.put("tcp_dns_messages_lost", 0L);
    expected.put("late_packets", 0L);
    assertThat(counters(json), equalTo(expected));
    assertThat("the same numbers as stderr's report", stderrCounters(run.err), equalTo(expected));

    try (Stream<Path> files = Files.list(report.getParent())) {
      assertThat(
          "no temporary sibling left",
          files.map(p -> p.getFileName().toString()).collect(Collectors.toList()),
          contains("connbal.json"));
    }
  }

  /** A counter added to RunReport without a JSON name fails here, not in a monitor. */
  @Test
  void everyRunReportCounterHasItsSnakeCaseName() {
    List<String> accessors = new ArrayList<>();
    for (Method m : RunReport.class.getDeclaredMethods()) {
      if (Modifier.isAbstract(m.getModifiers())
          && m.getParameterCount() == 0
          && m.getReturnType() == long.class) {
        accessors.add(m.getName().replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT));
      }
    }
    RunReport report = RunReport.empty();
    assertThat(
        RunSummary.countersByName(report).keySet().stream().sorted().collect(Collectors.toList()),
        equalTo(accessors.stream().sorted().collect(Collectors.toList())));
    assertThat(
        List.copyOf(RunSummary.countersByName(report).keySet()),
        equalTo(List.copyOf(COUNTER_NAMES.values())));
  }

  /**
   * The damaged capture of DamagedCaptureDeterminismTest: 99 records (95 SYNs of 84 bytes each: a
   * 24-byte header and a 60-byte minimum Ethernet frame; two lookups of a 47-byte name, queries of
   * 105 frame bytes and responses with two A records of 137, records padded to 132 and 164). The
   * headers of records 44 to 46 (SYNs) are overwritten, so the region from offset 16 + 42 × 84 +
   * 132 + 164 = 3840 over three records, 252 bytes, is skipped; the last record (offset 16 + 94 ×
   * 84 + 2 × 132 + 2 × 164 = 8504) is cut to 44 bytes. 95 records remain: 91 SYNs and 4 DNS frames,
   * 91 × 60 + 2 × 105 + 2 × 137 = 5944 bytes. The file is still read, so the run succeeds.
   */
  @Test
  void aDamagedCaptureIsListedWithItsErrorKindsAndCounts() throws Exception {
    Path capture = DamagedCaptureDeterminismTest.writeDamagedCapture(work.resolve("damaged.snoop"));
    Path report = work.resolve("damaged.json");
    CommandOutcome run =
        CommandOutcome.run("-f", capture.toString(), "--run-report", report.toString());

    assertThat(run.toString(), run.exitCode, is(0));
    JsonNode json = read(report);
    assertThat(json.get("exit_status").asInt(), is(0));
    assertThat(json.get("kind").asText(), equalTo("OK"));
    assertThat(json.get("output").get("partial").asBoolean(), is(false));
    Map<String, Long> counters = counters(json);
    assertThat(counters.get("packets"), is(95L));
    assertThat(counters.get("frame_bytes"), is(5944L));
    assertThat(counters.get("corrupt_regions"), is(1L));
    assertThat(counters.get("corrupt_bytes"), is(252L));
    assertThat(counters.get("truncated_records"), is(1L));
    assertThat(counters.get("truncated_bytes"), is(44L));
    assertThat(counters.get("files_with_errors"), is(1L));
    assertThat(counters, equalTo(stderrCounters(run.err)));

    JsonNode inputs = json.get("inputs_with_errors");
    assertThat(inputs.size(), is(1));
    JsonNode damaged = inputs.get(0);
    assertThat(damaged.get("input").asText(), equalTo(capture.toString()));
    assertThat(damaged.get("file_level").asBoolean(), is(false));
    assertThat(
        fields(damaged.get("error_counts")),
        equalTo(Map.of("CORRUPT_REGION", 1L, "TRUNCATED_RECORD", 1L)));
    JsonNode corrupt = damaged.get("errors").get(0);
    assertThat(corrupt.get("kind").asText(), equalTo("CORRUPT_REGION"));
    assertThat(corrupt.get("offset").asLong(), is(3840L));
    assertThat(corrupt.get("bytes").asLong(), is(252L));
    JsonNode truncated = damaged.get("errors").get(1);
    assertThat(truncated.get("kind").asText(), equalTo("TRUNCATED_RECORD"));
    assertThat(truncated.get("offset").asLong(), is(8504L));
    assertThat(truncated.get("bytes").asLong(), is(44L));
    List<String> messages =
        List.of(corrupt.get("message").asText(), truncated.get("message").asText());
    assertThat("the lines stderr shows", ownErrorLines(run.err), equalTo(messages));
    assertThat(texts(json.get("errors")), equalTo(messages));
    assertThat(
        corrupt.get("message").asText(),
        startsWith(capture + ": corrupt record header at offset 3840"));
  }

  /**
   * A pcap of IEEE 802.11 (link type 105) beside api.snoop: the file is named once, at its header's
   * link type field (offset 20), as no file-level error; its 3 records count as packets read and as
   * frames skipped for their link type; api.snoop's 9 packets give their rows as ever.
   */
  @Test
  void aCaptureOfAnotherLinkTypeIsListedOnceAndItsFramesCounted() throws Exception {
    Path wifi = Files.write(work.resolve("wifi.pcap"), pcapOfLinkType(105, 3));
    Path report = work.resolve("wifi.json");
    CommandOutcome run =
        CommandOutcome.run(
            "-f", api.toString(), "-f", wifi.toString(), "--run-report", report.toString());

    assertThat(run.toString(), run.exitCode, is(0));
    assertThat(run.out, equalTo(TestCaptures.API_TSV));
    String message =
        wifi
            + ": unsupported link type 105 (pcap file header); connbal decodes Ethernet (1), Linux"
            + " cooked capture (113, 276), raw IP (101, 228, 229) and BSD loopback (0, 108), and"
            + " counts the frames of other link types as skipped";
    assertThat(ownErrorLines(run.err), equalTo(List.of(message)));
    assertThat(run.err, containsString("frames skipped for an unsupported link type: 3\n"));
    JsonNode json = read(report);
    Map<String, Long> counters = counters(json);
    assertThat(counters.get("packets"), is(12L));
    assertThat(counters.get("unsupported_link_type_frames"), is(3L));
    assertThat(counters.get("files_with_errors"), is(1L));
    assertThat(counters, equalTo(stderrCounters(run.err)));
    JsonNode inputs = json.get("inputs_with_errors");
    assertThat(inputs.size(), is(1));
    assertThat(inputs.get(0).get("input").asText(), equalTo(wifi.toString()));
    assertThat(inputs.get(0).get("file_level").asBoolean(), is(false));
    assertThat(
        fields(inputs.get(0).get("error_counts")), equalTo(Map.of("UNSUPPORTED_LINK_TYPE", 1L)));
    JsonNode error = inputs.get(0).get("errors").get(0);
    assertThat(error.get("offset").asLong(), is(20L));
    assertThat(error.get("bytes").asLong(), is(0L));
    assertThat(error.get("message").asText(), equalTo(message));
  }

  /** A little-endian microsecond pcap of {@code records} 30-byte frames of {@code linkType}. */
  private static byte[] pcapOfLinkType(int linkType, int records) {
    ByteBuffer b = ByteBuffer.allocate(24 + records * (16 + 30)).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0);
    b.putInt(65535).putInt(linkType);
    for (int k = 0; k < records; k++) {
      b.putInt(1_700_000_000 + k).putInt(0).putInt(30).putInt(30).put(new byte[30]);
    }
    return b.array();
  }

  @Test
  void unreadableInputsMakeAnInputErrorWithPartialOutput() throws Exception {
    Path notes = Files.writeString(work.resolve("notes.snoop"), "these are not packets\n");
    Path missing = work.resolve("missing.snoop");
    Path none = work.resolve("none-*.snoop");
    Path report = work.resolve("input-error.json");
    CommandOutcome run =
        CommandOutcome.run(
            "-f",
            api.toString(),
            "-f",
            notes.toString(),
            "-f",
            missing.toString(),
            "-f",
            none.toString(),
            "--run-report=" + report);

    assertThat(run.toString(), run.exitCode, is(2));
    assertThat(run.out, equalTo(TestCaptures.API_TSV));
    JsonNode json = read(report);
    assertThat(json.get("exit_status").asInt(), is(2));
    assertThat(json.get("kind").asText(), equalTo("INPUT_ERROR"));
    assertThat(json.get("inputs").get("files").asInt(), is(2));
    assertThat(json.get("output").get("written").asBoolean(), is(true));
    assertThat(json.get("output").get("partial").asBoolean(), is(true));
    // TestCaptures: api.snoop has 9 packets; the text file is counted as a file with errors.
    assertThat(counters(json).get("packets"), is(9L));
    assertThat(counters(json).get("files_with_errors"), is(1L));

    JsonNode inputs = json.get("inputs_with_errors");
    assertThat(inputs.size(), is(3));
    assertInputError(
        inputs.get(0),
        missing.toString(),
        "NO_SUCH_FILE",
        null,
        null,
        "cannot read " + missing + ": no such file");
    assertInputError(
        inputs.get(1),
        none.toString(),
        "NO_MATCH",
        null,
        null,
        "cannot read " + none + ": no file matches");
    // The whole text file, 22 bytes, is lost: it does not start with snoop's magic.
    assertInputError(
        inputs.get(2),
        notes.toString(),
        "BAD_MAGIC",
        0L,
        22L,
        notes
            + ": not a packet capture: starts with \"these ar\", expected the magic of snoop,"
            + " pcap or pcapng");
    assertThat(texts(json.get("errors")), equalTo(ownErrorLines(run.err)));
  }

  @Test
  void aUsageErrorIsReportedWhereverTheReportOptionStands() throws Exception {
    Path report = work.resolve("usage.json");
    CommandOutcome run = CommandOutcome.run("-x", "-f", api.toString(), "--run-report=" + report);

    assertThat(run.exitCode, is(1));
    assertThat(run.out, emptyString());
    assertThat(
        run.err,
        equalTo(
            "connbal: unknown option -x\nTry 'connbal --help' for more information.\n"
                + "connbal: wrote run report "
                + report
                + "\n"));
    JsonNode json = read(report);
    assertThat(json.get("exit_status").asInt(), is(1));
    assertThat(json.get("kind").asText(), equalTo("USAGE_ERROR"));
    assertThat(texts(json.get("errors")), contains("unknown option -x"));
    assertThat(json.get("runner").isNull(), is(true));
    assertThat(json.get("counters").isNull(), is(true));
    assertThat(texts(json.get("inputs").get("given")), contains(api.toString()));
    assertThat(json.get("inputs").get("files").isNull(), is(true));
    assertThat(json.get("output").get("written").asBoolean(), is(false));
    assertThat(json.get("inputs_with_errors").size(), is(0));
  }

  @Test
  void aBeamOptionsErrorIsReportedWithSecretsMasked() throws Exception {
    String secret = "wJalrXUtnFEMIK7MDENGbPxRfiCYzEXAMPLEKEY";
    Path report = work.resolve("beam-usage.json");
    CommandOutcome run =
        CommandOutcome.run(
            "--run-report=" + report,
            "--awsCredentialsProvider={\"@type\":\"StaticCredentialsProvider\","
                + "\"accessKeyId\":\"AKIACONNBAL\",\"secretAccessKey\":\""
                + secret
                + "\"",
            "-f",
            api.toString());

    assertThat(run.exitCode, is(1));
    String text = Files.readString(report);
    assertThat(text, not(containsString(secret)));
    assertThat(text, not(containsString("AKIACONNBAL")));
    JsonNode json = JSON.readTree(text);
    assertThat(json.get("exit_status").asInt(), is(1));
    assertThat(json.get("kind").asText(), equalTo("USAGE_ERROR"));
    assertThat(json.get("errors").size(), is(1));
    assertThat(
        "the line stderr shows",
        run.err,
        startsWith("connbal: " + json.get("errors").get(0).asText() + "\n"));
  }

  @Test
  void aFailedRunIsReportedWithItsRunner() throws Exception {
    // A temp location inside a regular file: the pipeline cannot write its results.
    Path file = Files.writeString(work.resolve("a-file"), "x");
    Path report = work.resolve("failed.json");
    CommandOutcome run =
        CommandOutcome.run(
            "-f",
            api.toString(),
            "--tempLocation=" + file.resolve("temp"),
            "--run-report=" + report);

    assertThat(run.toString(), run.exitCode, is(2));
    assertThat(run.out, emptyString());
    JsonNode json = read(report);
    assertThat(json.get("exit_status").asInt(), is(2));
    assertThat(json.get("kind").asText(), equalTo("RUN_FAILED"));
    assertThat(json.get("meaning").asText(), equalTo("the run failed and wrote no results"));
    assertThat(json.get("errors").size(), is(1));
    assertThat(json.get("errors").get(0).asText(), startsWith("the run failed: "));
    assertThat(run.err, containsString("connbal: " + json.get("errors").get(0).asText() + "\n"));
    assertThat(json.get("runner").get("name").asText(), equalTo("DirectRunner"));
    assertThat(json.get("inputs").get("files").asInt(), is(1));
    assertThat(json.get("counters").isNull(), is(true));
    assertThat(json.get("output").get("written").asBoolean(), is(false));
  }

  /**
   * SIGTERM while the run reads stdin (the hook delivers it when spooling starts): the command ends
   * at once with 143 and the report says so, while the run's thread is still blocked reading.
   */
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aStopSignalEndsTheRunWithTheSignalsStatusInTheReport() throws Exception {
    AtomicReference<InterruptHook.StopAction> stop = new AtomicReference<>();
    InterruptHook hook =
        new InterruptHook() {
          @Override
          public AutoCloseable onInterrupt(Runnable action) {
            stop.get().stopped("SIGTERM", 143);
            return () -> {};
          }

          @Override
          public AutoCloseable onStop(StopAction action) {
            stop.set(action);
            return () -> stop.set(null);
          }
        };
    CountDownLatch release = new CountDownLatch(1);
    InputStream neverEnding =
        new InputStream() {
          @Override
          public int read() throws IOException {
            throw awaitReleaseThenFail();
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            throw awaitReleaseThenFail();
          }

          private IOException awaitReleaseThenFail() {
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return new IOException("stdin closed by the test");
          }
        };
    Path report = work.resolve("stopped.json");

    CommandOutcome run = CommandOutcome.runWith(hook, neverEnding, "--run-report=" + report);

    assertThat(run.toString(), run.exitCode, is(143));
    assertThat("the stop hook was closed", stop.get(), nullValue());
    assertThat(
        run.err, containsString("connbal: interrupted by SIGTERM before the run finished\n"));
    JsonNode json = read(report);
    assertThat(json.get("exit_status").asInt(), is(143));
    assertThat(json.get("kind").asText(), equalTo("INTERRUPTED"));
    assertThat(
        texts(json.get("errors")), contains("interrupted by SIGTERM before the run finished"));
    assertThat(texts(json.get("inputs").get("given")), contains("<stdin>"));
    assertThat(json.get("output").get("written").asBoolean(), is(false));
    assertThat(json.get("counters").isNull(), is(true));

    release.countDown();
    awaitRunThreadsEnd();
  }

  /**
   * SIGINT while Beam's options are parsed (the hook delivers it as soon as it is installed): no
   * run starts, and the report says the invocation was stopped, before a runner was chosen.
   */
  @Test
  void aStopBeforeTheRunStartsIsReportedWithoutARunner() throws Exception {
    InterruptHook stopAtOnce =
        new InterruptHook() {
          @Override
          public AutoCloseable onInterrupt(Runnable action) {
            throw new AssertionError("no run may start");
          }

          @Override
          public AutoCloseable onStop(StopAction action) {
            action.stopped("SIGINT", 130);
            return () -> {};
          }
        };
    Path report = work.resolve("stopped-early.json");

    CommandOutcome run =
        CommandOutcome.runWith(
            stopAtOnce,
            new ByteArrayInputStream(new byte[0]),
            "-f",
            api.toString(),
            "--run-report=" + report);

    assertThat(run.toString(), run.exitCode, is(130));
    assertThat(run.out, emptyString());
    assertThat(
        run.err,
        equalTo(
            "connbal: interrupted by SIGINT before the run finished\n"
                + "connbal: wrote run report "
                + report
                + "\n"));
    JsonNode json = read(report);
    assertThat(json.get("exit_status").asInt(), is(130));
    assertThat(json.get("kind").asText(), equalTo("INTERRUPTED"));
    assertThat(json.get("runner").isNull(), is(true));
    assertThat(json.get("inputs").get("files").isNull(), is(true));
    assertThat(json.get("counters").isNull(), is(true));
  }

  /** Ctrl-C ends stdin: the run analyzes what arrived, succeeds, and its output is partial. */
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void ctrlCOnStdinMakesASuccessfulRunWithPartialOutput() throws Exception {
    AtomicReference<Runnable> interrupt = new AtomicReference<>();
    InterruptHook hook =
        action -> {
          interrupt.set(action);
          return () -> {};
        };
    byte[] capture = Files.readAllBytes(api);
    CountDownLatch release = new CountDownLatch(1);
    InputStream stdin =
        new InputStream() {
          private boolean sent;

          @Override
          public int read() {
            throw new UnsupportedOperationException();
          }

          @Override
          public int read(byte[] buffer, int offset, int length) {
            if (!sent) {
              sent = true;
              System.arraycopy(capture, 0, buffer, offset, capture.length);
              return capture.length;
            }
            // Everything has arrived and the stream stays open: only Ctrl-C ends it.
            interrupt.get().run();
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return -1;
          }
        };
    Path report = work.resolve("ctrl-c.json");

    CommandOutcome run = CommandOutcome.runWith(hook, stdin, "--run-report=" + report);
    release.countDown();

    assertThat(run.toString(), run.exitCode, is(0));
    assertThat(run.out, equalTo(TestCaptures.API_TSV));
    JsonNode json = read(report);
    assertThat(json.get("exit_status").asInt(), is(0));
    assertThat(json.get("kind").asText(), equalTo("OK"));
    assertThat(json.get("inputs").get("stdin_interrupted").asBoolean(), is(true));
    assertThat(json.get("output").get("written").asBoolean(), is(true));
    assertThat(json.get("output").get("partial").asBoolean(), is(true));
    assertThat(counters(json).get("packets"), is(9L));
  }

  @Test
  void anUnwritableReportFailsASuccessfulRunWithItsOwnStatus() throws Exception {
    Path file = Files.writeString(work.resolve("not-a-directory"), "x");
    Path report = file.resolve("report.json");
    CommandOutcome run = CommandOutcome.run("-f", api.toString(), "--run-report=" + report);

    assertThat(run.toString(), run.exitCode, is(3));
    assertThat("the results are still printed", run.out, equalTo(TestCaptures.API_TSV));
    assertThat(run.err, containsString("packets read: 9\n"));
    String last = run.err.lines().reduce((a, b) -> b).orElse("");
    assertThat(last, startsWith("connbal: cannot write the run report " + report + ": "));
    assertThat(last, endsWith(" [REPORT_NOT_WRITTEN]"));
    assertThat(Files.readString(file), equalTo("x"));
  }

  @Test
  void anUnwritableReportKeepsAFailedRunsStatus() throws Exception {
    Path file = Files.writeString(work.resolve("not-a-directory"), "x");
    Path missing = work.resolve("missing.snoop");
    CommandOutcome run =
        CommandOutcome.run("-f", missing.toString(), "--run-report=" + file.resolve("report.json"));

    assertThat(run.toString(), run.exitCode, is(2));
    assertThat(run.err, containsString("connbal: cannot read " + missing + ": no such file\n"));
    assertThat(run.err, containsString(" [REPORT_NOT_WRITTEN]\n"));
  }

  @Test
  void aReportPathNoFileSystemTakesIsAUsageErrorBeforeTheRun() {
    CommandOutcome run =
        CommandOutcome.run("-f", api.toString(), "--run-report=nosuch://bucket/report.json");

    assertThat(run.toString(), run.exitCode, is(1));
    assertThat(run.out, emptyString());
    assertThat(run.err, startsWith("connbal: --run-report: "));
    assertThat(run.err, containsString("nosuch"));
    assertThat(run.err, not(containsString("packets read")));
  }

  @Test
  void aLaterRunReplacesTheReport() throws Exception {
    Path report = work.resolve("nightly.json");
    CommandOutcome failed =
        CommandOutcome.run(
            "-f", work.resolve("missing.snoop").toString(), "--run-report=" + report);
    assertThat(failed.exitCode, is(2));
    assertThat(read(report).get("kind").asText(), equalTo("INPUT_ERROR"));

    CommandOutcome ok = CommandOutcome.run("-f", api.toString(), "--run-report=" + report);
    assertThat(ok.exitCode, is(0));
    JsonNode json = read(report);
    assertThat(json.get("kind").asText(), equalTo("OK"));
    assertThat(counters(json).get("packets"), is(9L));
    try (Stream<Path> files = Files.list(work)) {
      assertThat(
          files.map(p -> p.getFileName().toString()).collect(Collectors.toList()),
          contains("nightly.json"));
    }
  }

  @Test
  void helpWritesNoReport() {
    Path report = work.resolve("help.json");
    CommandOutcome run = CommandOutcome.run("--help", "--run-report=" + report);
    assertThat(run.exitCode, is(0));
    assertThat(run.out, containsString("--run-report=PATH"));
    assertThat(Files.exists(report), is(false));
  }

  static JsonNode read(Path report) throws IOException {
    return JSON.readTree(Files.readString(report, StandardCharsets.UTF_8));
  }

  static JsonNode parse(String json) throws IOException {
    return JSON.readTree(json);
  }

  static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(n -> texts.add(n.asText()));
    return texts;
  }

  static Map<String, Long> fields(JsonNode object) {
    Map<String, Long> values = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      values.put(field.getKey(), field.getValue().asLong());
    }
    return values;
  }

  static Map<String, Long> counters(JsonNode json) {
    return fields(json.get("counters"));
  }

  /** The counters of stderr's report, under their JSON names. */
  static Map<String, Long> stderrCounters(String stderr) {
    Map<String, Long> values = new LinkedHashMap<>();
    for (String line : (Iterable<String>) stderr.lines()::iterator) {
      int colon = line.lastIndexOf(": ");
      if (colon > 0 && COUNTER_NAMES.containsKey(line.substring(0, colon))) {
        values.put(
            COUNTER_NAMES.get(line.substring(0, colon)), Long.parseLong(line.substring(colon + 2)));
      }
    }
    // Only windowed runs print their late packets; any other run has none.
    values.putIfAbsent("late_packets", 0L);
    return values;
  }

  /** connbal's error lines on stderr, without their prefix; not the "wrote" lines. */
  private static List<String> ownErrorLines(String stderr) {
    return stderr
        .lines()
        .filter(l -> l.startsWith("connbal: ") && !l.startsWith("connbal: wrote "))
        .map(l -> l.substring("connbal: ".length()))
        .collect(Collectors.toList());
  }

  private static void assertInputError(
      JsonNode input, String name, String kind, Long offset, Long bytes, String message) {
    assertThat(input.get("input").asText(), equalTo(name));
    assertThat(input.get("file_level").asBoolean(), is(true));
    assertThat(fields(input.get("error_counts")), equalTo(Map.of(kind, 1L)));
    assertThat(input.get("errors").size(), is(1));
    JsonNode error = input.get("errors").get(0);
    assertThat(error.get("kind").asText(), equalTo(kind));
    assertThat(error.get("offset").isNull() ? null : error.get("offset").asLong(), equalTo(offset));
    assertThat(error.get("bytes").isNull() ? null : error.get("bytes").asLong(), equalTo(bytes));
    assertThat(error.get("message").asText(), equalTo(message));
  }

  /** Waits for run threads that a stopped command left behind, so they touch no later test. */
  private static void awaitRunThreadsEnd() throws InterruptedException {
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().equals("connbal-run")) {
        thread.join(TimeUnit.SECONDS.toMillis(30));
        assertThat("the stopped run's thread ended", thread.isAlive(), is(false));
      }
    }
  }
}
