package dev.connbal.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --window}: SEMANTICS.md "Windows" on the command line, over the bundled real capture: a
 * window-start column, windows aligned to the epoch, the sums over windows equal to the run without
 * windows, and {@code -o PREFIX} as one file per window.
 */
class WindowedCommandTest {
  private static final Path REAL_CAPTURE = Path.of("../examples/real-capture/capture.snoop");
  private static final Path REAL_EXPECTED_TSV = Path.of("../examples/real-capture/expected.tsv");

  @TempDir Path dir;

  @Test
  void windowsAddUpToTheRunWithoutWindows() throws IOException {
    CommandOutcome run = CommandOutcome.run("-f", REAL_CAPTURE.toString(), "--window=1s");
    assertThat(run.toString(), run.exitCode, is(0));
    List<String> lines = run.out.lines().collect(Collectors.toList());
    assertThat(windowStarts(lines).size(), greaterThan(1));
    for (String line : lines) {
      Instant start = Instant.parse(line.substring(0, line.indexOf('\t')));
      assertThat(line, start.toEpochMilli() % 1000, is(0L));
    }
    assertThat("windows in order", windowStarts(lines), equalTo(sorted(windowStarts(lines))));
    assertThat(sums(lines, 1), equalTo(sums(Files.readAllLines(REAL_EXPECTED_TSV), 0)));
  }

  /**
   * With -a, each stream counts in the window of its first counted packet: over the bundled
   * captures the sums over windows are their hand-derived all-streams rows.
   */
  @Test
  void allStreamsWindowsAddUpToTheHandDerivedAllStreamsRows() throws IOException {
    for (String example : List.of("real-capture", "srv-synthetic")) {
      Path capture = Path.of("../examples", example, "capture.snoop");
      Path expected = Path.of("../examples", example, "expected-all-streams.tsv");
      for (String window : List.of("--window=1s", "--window=10ms")) {
        CommandOutcome run = CommandOutcome.run("-a", "-f", capture.toString(), window);
        assertThat(run.toString(), run.exitCode, is(0));
        List<String> lines = run.out.lines().collect(Collectors.toList());
        assertThat(
            example + " " + window, sums(lines, 1), equalTo(sums(Files.readAllLines(expected), 0)));
      }
    }
  }

  /**
   * The dual-stack recording with -a, IPv6 streams among its own: each TCP stream to a backend
   * there is the SYNs of one ISN on one 4-tuple (examples/dual-stack-capture/DERIVATION.md section
   * 3: the IPv6 ones answered by ICMPv6, the IPv4 ones by nothing), sent after the answer that
   * named its backend, so it is one connection that counts at its first packet, as its attempt does
   * without -a; the streams to the DNS server go to an address no answer named. The -a rows are
   * thus the recording's hand-derived rows, and so are the sums over windows.
   */
  @Test
  void allStreamsWindowsOfTheDualStackRecordingAddUpToItsHandDerivedRows() throws IOException {
    Path capture = Path.of("../examples/dual-stack-capture/any.pcapng");
    Path expected = Path.of("../examples/dual-stack-capture/expected.tsv");
    for (String window : List.of("--window=1s", "--window=10ms")) {
      CommandOutcome run = CommandOutcome.run("-a", "-f", capture.toString(), window);
      assertThat(run.toString(), run.exitCode, is(0));
      List<String> lines = run.out.lines().collect(Collectors.toList());
      assertThat(window, sums(lines, 1), equalTo(sums(Files.readAllLines(expected), 0)));
    }
  }

  @Test
  void outputPrefixWritesOneFilePerWindow() throws IOException {
    CommandOutcome printed = CommandOutcome.run("-f", REAL_CAPTURE.toString(), "--window=1s");
    CommandOutcome written =
        CommandOutcome.run(
            "-f",
            REAL_CAPTURE.toString(),
            "--window=1s",
            "--header",
            "-o",
            dir.resolve("balance").toString());
    assertThat(written.toString(), written.exitCode, is(0));
    assertThat(written.out, equalTo(""));
    assertThat(written.err, containsString("window files"));
    List<String> starts = windowStarts(printed.out.lines().collect(Collectors.toList()));
    List<Path> files;
    try (Stream<Path> listed = Files.list(dir)) {
      files = listed.sorted().collect(Collectors.toList());
    }
    assertThat(files, hasSize(starts.size()));
    for (int i = 0; i < files.size(); i++) {
      assertThat(
          files.get(i).getFileName().toString(), equalTo("balance-" + starts.get(i) + ".tsv"));
      String content = Files.readString(files.get(i), StandardCharsets.UTF_8);
      assertThat(
          content, startsWith("window-start\tclient-ip\tbackend-ip:port\t#conns\t#dns\tname\n"));
      String start = starts.get(i);
      String rowsOfWindow =
          printed
              .out
              .lines()
              .filter(l -> l.startsWith(start + "\t"))
              .map(l -> l + "\n")
              .collect(Collectors.joining());
      assertThat(content.substring(content.indexOf('\n') + 1), equalTo(rowsOfWindow));
    }
  }

  /**
   * {@code --summary} with windows: a summary file per window, beside the rows' files, whose
   * connections and lookups per (client, name) are those of the window's rows.
   */
  @Test
  void summaryPerWindow() throws IOException {
    CommandOutcome run =
        CommandOutcome.run(
            "-f",
            REAL_CAPTURE.toString(),
            "--window=1s",
            "--summary",
            "-o",
            dir.resolve("balance").toString());
    assertThat(run.toString(), run.exitCode, is(0));
    assertThat(run.err, containsString("window summary files"));
    List<Path> rowFiles;
    try (Stream<Path> listed = Files.list(dir)) {
      rowFiles =
          listed
              .filter(p -> p.getFileName().toString().startsWith("balance-"))
              .sorted()
              .collect(Collectors.toList());
    }
    assertThat(rowFiles.size(), greaterThan(1));
    for (Path rows : rowFiles) {
      String start = rows.getFileName().toString().replace("balance-", "").replace(".tsv", "");
      Path summary = dir.resolve("balance.summary-" + start + ".tsv");
      List<String> lines = Files.readAllLines(summary, StandardCharsets.UTF_8);
      assertThat(lines.get(0), startsWith("client\tname\tbackends\tconns\tlookups"));
      Map<String, Long> connsByClientAndName = new TreeMap<>();
      for (String row : Files.readAllLines(rows, StandardCharsets.UTF_8)) {
        String[] f = row.split("\t", -1);
        connsByClientAndName.merge(
            f[1].replaceAll("(^|\\.)0+(\\d)", "$1$2") + " " + f[5],
            Long.parseLong(f[3]),
            Long::sum);
      }
      Map<String, Long> summarized = new TreeMap<>();
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.split("\t", -1);
        summarized.put(
            f[0].replaceAll("(^|\\.)0+(\\d)", "$1$2") + " " + f[1], Long.parseLong(f[3]));
      }
      assertThat(start, summarized, equalTo(connsByClientAndName));
    }
  }

  /**
   * A watch over a directory holding the real capture and a file that is no capture: the bad file
   * is reported (exit status 2, as for any unreadable input) and the watch goes on, its windows
   * those of the real capture; it ends {@code --watch-until} after the last new capture.
   */
  @Test
  void aWatchReportsABadCaptureAndGoesOn() throws IOException {
    Path watched = Files.createDirectories(dir.resolve("watched"));
    Files.copy(REAL_CAPTURE, watched.resolve("a.snoop"));
    Files.writeString(watched.resolve("b.snoop"), "not a capture\n", StandardCharsets.UTF_8);
    Path out = Files.createDirectories(dir.resolve("watch-out"));
    CommandOutcome watch =
        CommandOutcome.run(
            "--watch",
            "-f",
            watched.resolve("*.snoop").toString(),
            "--window=1s",
            "--poll-interval=200ms",
            "--watch-until=2s",
            "--runner=DirectRunner",
            "-o",
            out + "/");
    assertThat(watch.toString(), watch.exitCode, is(2));
    assertThat(watch.err, containsString("b.snoop: not a packet capture"));
    Path batchOut = Files.createDirectories(dir.resolve("batch-out"));
    CommandOutcome batch =
        CommandOutcome.run("-f", REAL_CAPTURE.toString(), "--window=1s", "-o", batchOut + "/");
    assertThat(batch.toString(), batch.exitCode, is(0));
    assertThat(contents(out), equalTo(contents(batchOut)));
  }

  /**
   * The window files, by name with their contents, that a batch run on the Direct runner over
   * {@code pattern} in windows of {@code window} writes into the new directory {@code out}.
   */
  static Map<String, String> batchWindows(String pattern, String window, Path out)
      throws IOException {
    Files.createDirectories(out);
    CommandOutcome batch =
        CommandOutcome.run(
            "-f", pattern, "--window=" + window, "--runner=DirectRunner", "-o", out + "/");
    assertThat(batch.toString(), batch.exitCode, is(0));
    return contents(out);
  }

  /** The files of {@code directory}, by name, with their contents. */
  static Map<String, String> contents(Path directory) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> listed = Files.list(directory)) {
      for (Path f : listed.collect(Collectors.toList())) {
        files.put(f.getFileName().toString(), Files.readString(f, StandardCharsets.UTF_8));
      }
    }
    return files;
  }

  @Test
  void csvAndJsonLinesCarryTheWindowStart() {
    CommandOutcome csv =
        CommandOutcome.run("-f", REAL_CAPTURE.toString(), "--window=1s", "--format=csv");
    assertThat(csv.toString(), csv.exitCode, is(0));
    List<String> lines = csv.out.lines().collect(Collectors.toList());
    assertThat(
        lines.get(0),
        equalTo("window_start,client,backend,port,conns,dns,name,srvPriority,srvWeight"));
    assertThat(
        "one header", lines.stream().filter(l -> l.startsWith("window_start")).count(), is(1L));
    assertThat(lines.subList(1, lines.size()), everyItem(startsWith("20")));
    CommandOutcome jsonl =
        CommandOutcome.run("-f", REAL_CAPTURE.toString(), "--window=1s", "--format=jsonl");
    assertThat(
        jsonl.out.lines().collect(Collectors.toList()),
        everyItem(startsWith("{\"window_start\":\"20")));
  }

  @Test
  void watchAndWindowOptionsThatDoNotGoTogetherAreUsageErrors() {
    assertUsage("--watch watches capture files", "--watch", "--window=1m");
    assertUsage("give --window", "--watch", "-f", "x");
    assertUsage("--poll-interval needs --watch", "-f", "x", "--poll-interval=1s");
    assertUsage("--watch-until needs --watch", "-f", "x", "--watch-until=1m");
    assertUsage("needs a positive duration", "-f", "x", "--window=0s");
    assertUsage("needs a positive duration", "-f", "x", "--window=10");
    assertUsage(
        "not with --format=parquet", "-f", "x", "--window=1m", "--format=parquet", "-o", "p");
  }

  private static void assertUsage(String message, String... args) {
    CommandOutcome run = CommandOutcome.run(args);
    assertThat(run.toString(), run.exitCode, is(1));
    assertThat(run.err, containsString(message));
  }

  private static List<String> windowStarts(List<String> lines) {
    return lines.stream()
        .map(l -> l.substring(0, l.indexOf('\t')))
        .distinct()
        .collect(Collectors.toList());
  }

  private static List<String> sorted(List<String> list) {
    List<String> copy = new ArrayList<>(list);
    copy.sort(null);
    return copy;
  }

  /**
   * Per row key (client, backend:port, name), the sums of #conns and #dns; fields from {@code
   * skip}.
   */
  static Map<String, List<Long>> sums(List<String> lines, int skip) {
    Map<String, List<Long>> sums = new TreeMap<>();
    for (String line : lines) {
      String[] f = line.split("\t", -1);
      String key = f[skip] + " " + f[skip + 1] + " " + f[skip + 4];
      List<Long> s = sums.computeIfAbsent(key, k -> new ArrayList<>(List.of(0L, 0L)));
      s.set(0, s.get(0) + Long.parseLong(f[skip + 2]));
      s.set(1, s.get(1) + Long.parseLong(f[skip + 3]));
    }
    return sums;
  }
}
