package dev.connbal.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SEMANTICS.md "Windows": for every (client, backend, port), the sums of a windowed run's rows over
 * its windows equal the rows of the same run without windows.
 */
class WindowedRunTest {
  @TempDir Path scratch;

  @Test
  void sumsOverWindowsEqualTheRunWithoutWindows() throws Exception {
    Path dir = Files.createDirectory(scratch.resolve("captures"));
    MixedCaptures.write(dir, 3, 42);
    String pattern = dir + "/*";
    ConnBalRun.Output whole = ConnBalRun.direct(pattern, ConnBal.analyze(), scratch);
    ConnBalRun.Output windowed =
        ConnBalRun.direct(
            pattern,
            ConnBal.analyze().withWindow(Duration.standardSeconds(5)).withTimelineShardCount(3),
            scratch);
    assertThat(windowed.tsvDocuments().size(), greaterThan(1));
    assertThat(sums(windowed.rows()), equalTo(sums(whole.rows())));
    assertThat(windowed.report().packets(), equalTo(whole.report().packets()));
  }

  /**
   * All-streams mode (-a): each stream counts in the window of its first counted packet, and the
   * sums equal the -a run without windows; with one timeline shard and with several (the pairs of
   * both orientations of a 4-tuple then come from different client shards); IPv6 streams among
   * them.
   */
  @Test
  void allStreamsSumsOverWindowsEqualTheRunWithoutWindows() throws Exception {
    Path dir = Files.createDirectory(scratch.resolve("captures"));
    // Seed 5: captures in which the IPv6 client's streams count.
    MixedCaptures.write(dir, 3, 5);
    String pattern = dir + "/*";
    ConnBalRun.Output whole =
        ConnBalRun.direct(pattern, ConnBal.analyze().withAllStreams(true), scratch);
    assertThat(whole.rows().stream().mapToLong(ConnBalRow::getConns).sum(), greaterThan(0L));
    assertThat(
        "IPv6 streams counted",
        whole.rows().stream()
            .filter(r -> r.getClient().contains(":"))
            .mapToLong(ConnBalRow::getConns)
            .sum(),
        greaterThan(0L));
    for (int shards : new int[] {1, 3}) {
      ConnBalRun.Output windowed =
          ConnBalRun.direct(
              pattern,
              ConnBal.analyze()
                  .withAllStreams(true)
                  .withWindow(Duration.standardSeconds(5))
                  .withTimelineShardCount(shards),
              scratch);
      assertThat(windowed.tsvDocuments().size(), greaterThan(1));
      assertThat(sums(windowed.rows()), equalTo(sums(whole.rows())));
      assertThat(windowed.report().packets(), equalTo(whole.report().packets()));
      assertThat(windowed.report().latePackets(), equalTo(0L));
    }
  }

  /** Per (client, backend, port): [conns, dns], keys whose sums are both 0 left out. */
  static Map<String, List<Long>> sums(List<ConnBalRow> rows) {
    Map<String, List<Long>> sums = new TreeMap<>();
    for (ConnBalRow r : rows) {
      String key = r.getClient() + " " + r.getBackend() + ":" + r.getPort() + " " + r.getName();
      List<Long> s = sums.computeIfAbsent(key, k -> new ArrayList<>(Arrays.asList(0L, 0L)));
      s.set(0, s.get(0) + r.getConns());
      s.set(1, s.get(1) + r.getDns());
    }
    sums.values().removeIf(s -> s.get(0) == 0 && s.get(1) == 0);
    return sums;
  }
}
