package dev.connbal.bench;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import dev.connbal.bench.TrafficGenerator.Profile;
import dev.connbal.pipeline.ConnBalCommand;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SEMANTICS.md "Windows" on the generator's traffic, whose rows the generator knows: for every key,
 * the sums of a windowed run's rows over its windows equal the rows of the run without windows, on
 * both profiles, with the DNS timeline in one shard or spread over several (SRV knowledge then
 * travels between shards), on the Direct runner and on embedded Flink. The captures span about 3.3
 * s of capture time; windows of 500 ms give seven.
 */
class WindowsOnGeneratedTrafficTest {
  private static final long SEED = 20261126L;
  private static final String WINDOW = "--window=50ms";

  @TempDir static Path dir;
  private static final Map<Profile, Path> CAPTURES = new TreeMap<>();
  private static final Map<Profile, TrafficGenerator.Result> GENERATED = new TreeMap<>();

  @BeforeAll
  static void generate() throws IOException {
    for (Profile profile : Profile.values()) {
      Path capture = dir.resolve(profile + ".snoop");
      try (OutputStream out = Files.newOutputStream(capture)) {
        GENERATED.put(profile, TrafficGenerator.generate(out, 2L << 20, SEED, profile));
      }
      CAPTURES.put(profile, capture);
    }
  }

  @ParameterizedTest
  @EnumSource(Profile.class)
  void sumsOverWindowsAreTheGeneratorsRows(Profile profile) {
    String windows = connbal("-f", CAPTURES.get(profile).toString(), WINDOW);
    assertThat(windowCount(windows), greaterThan(5L));
    assertThat(sums(windows, 1), equalTo(sums(GENERATED.get(profile).expectedTsv(), 0)));
  }

  /**
   * With -a, each stream counts in the window of its first counted packet: the sums over windows
   * are the rows of the -a run without windows.
   */
  @ParameterizedTest
  @EnumSource(Profile.class)
  void allStreamsSumsOverWindowsAreTheBatchRows(Profile profile) {
    String capture = CAPTURES.get(profile).toString();
    String windows = connbal("-a", "-f", capture, WINDOW, "--timelineShards=4");
    assertThat(windowCount(windows), greaterThan(5L));
    assertThat(sums(windows, 1), equalTo(sums(connbal("-a", "-f", capture), 0)));
  }

  @Test
  void timelineInShardsGivesTheSameWindows() {
    String capture = CAPTURES.get(Profile.DNS_HEAVY).toString();
    assertThat(
        connbal("-f", capture, WINDOW, "--timelineShards=8"),
        equalTo(connbal("-f", capture, WINDOW, "--timelineShards=1")));
  }

  @Test
  void embeddedFlinkGivesTheSameWindows() {
    String capture = CAPTURES.get(Profile.DNS_HEAVY).toString();
    assertThat(
        connbal("-f", capture, WINDOW, "--runner=FlinkRunner", "--parallelism=2"),
        equalTo(connbal("-f", capture, WINDOW)));
  }

  @Test
  void manyFilesGiveTheWindowsOfOne() throws IOException {
    Path capture = CAPTURES.get(Profile.DNS_HEAVY);
    CaptureSplitter.split(capture, dir.resolve("parts"), 12);
    assertThat(
        connbal("-f", dir.resolve("parts").resolve("*.snoop").toString(), WINDOW),
        equalTo(connbal("-f", capture.toString(), WINDOW)));
  }

  /**
   * Captures arriving in a watched directory, each growing over several polls as a rotating
   * writer's file does (eight pieces, 150 ms apart, polled every 400 ms): every window's file
   * equals the same window's file of a run over all of them at once, and every packet was read
   * once, so no capture was read while it grew nor read twice.
   */
  @Test
  void watchingArrivingCapturesGivesTheWindowsOfTheirBatchRun() throws Exception {
    Path capture = CAPTURES.get(Profile.DNS_HEAVY);
    List<Path> parts = CaptureSplitter.split(capture, dir.resolve("to-arrive"), 6);
    Path watched = Files.createDirectories(dir.resolve("watched"));
    Path watchOut = Files.createDirectories(dir.resolve("watch-out"));
    Path batchOut = Files.createDirectories(dir.resolve("batch-out"));

    ByteArrayOutputStream watchErr = new ByteArrayOutputStream();
    int[] watchExit = new int[1];
    Thread watch =
        new Thread(
            () ->
                watchExit[0] =
                    run(
                        new ByteArrayOutputStream(),
                        watchErr,
                        "--watch",
                        "-f",
                        watched.resolve("*.snoop").toString(),
                        WINDOW,
                        "--poll-interval=400ms",
                        "--watch-until=3s",
                        "-o",
                        watchOut + "/"));
    watch.start();
    for (Path part : parts) {
      byte[] bytes = Files.readAllBytes(part);
      Path arriving = watched.resolve(part.getFileName());
      try (OutputStream out = Files.newOutputStream(arriving)) {
        int pieces = 8;
        for (int i = 0; i < pieces; i++) {
          int from = bytes.length * i / pieces;
          out.write(bytes, from, bytes.length * (i + 1) / pieces - from);
          out.flush();
          Thread.sleep(150);
        }
      }
    }
    watch.join(120_000);
    String err = watchErr.toString(StandardCharsets.UTF_8);
    assertThat(err, watchExit[0], is(0));
    assertThat(
        "each packet read once",
        err,
        containsString("packets read: " + GENERATED.get(Profile.DNS_HEAVY).packets() + "\n"));
    assertThat(
        "captures came in time order: nothing late", err, not(containsString("late packets")));

    connbal("-f", watched.resolve("*.snoop").toString(), WINDOW, "-o", batchOut + "/");
    Map<String, String> batchWindows = files(batchOut);
    assertThat(batchWindows.size(), greaterThan(5));
    assertThat(files(watchOut), equalTo(batchWindows));
  }

  private static Map<String, String> files(Path directory) throws IOException {
    Map<String, String> contents = new TreeMap<>();
    try (Stream<Path> listed = Files.list(directory)) {
      for (Path f : listed.collect(Collectors.toList())) {
        contents.put(f.getFileName().toString(), Files.readString(f, StandardCharsets.UTF_8));
      }
    }
    return contents;
  }

  private static long windowCount(String document) {
    return document.lines().map(l -> l.substring(0, l.indexOf('\t'))).distinct().count();
  }

  /** Per row key (client, backend:port, name), #conns and #dns summed; fields from {@code skip}. */
  private static Map<String, List<Long>> sums(String document, int skip) {
    Map<String, List<Long>> sums = new TreeMap<>();
    for (String line : document.lines().collect(Collectors.toList())) {
      String[] f = line.split("\t", -1);
      String key = f[skip] + " " + f[skip + 1] + " " + f[skip + 4];
      List<Long> s = sums.computeIfAbsent(key, k -> new ArrayList<>(List.of(0L, 0L)));
      s.set(0, s.get(0) + Long.parseLong(f[skip + 2]));
      s.set(1, s.get(1) + Long.parseLong(f[skip + 3]));
    }
    return sums;
  }

  private static String connbal(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = run(out, err, args);
    assertThat("exit status; stderr:\n" + err.toString(StandardCharsets.UTF_8), exit, is(0));
    return out.toString(StandardCharsets.UTF_8);
  }

  private static int run(ByteArrayOutputStream out, ByteArrayOutputStream err, String... args) {
    return ConnBalCommand.run(
        args,
        new ByteArrayInputStream(new byte[0]),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }
}
