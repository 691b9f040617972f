package dev.connbal.snoop;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A watch's poll takes a capture once its size has not changed for one poll interval of the wall
 * clock, however often it polls ({@link WatchCaptures}).
 */
class WatchCapturesPollTest {
  private static final long INTERVAL = 1000;

  @TempDir Path dir;

  @Test
  void aCaptureIsTakenAfterItsSizeHeldForAnIntervalNotAfterTwoQuickPolls() throws IOException {
    Path capture = dir.resolve("rotating.snoop");
    byte[] records = TestCaptures.realistic(1, 20, 200);
    long t = System.currentTimeMillis();
    write(capture, records, 0, records.length / 2, t);
    WatchCaptures.PollCaptures poll =
        new WatchCaptures.PollCaptures(Duration.millis(INTERVAL), null);
    String pattern = dir.resolve("*.snoop").toString();

    assertThat("first seen", taken(poll.poll(pattern, t)), empty());
    assertThat("polled again at once", taken(poll.poll(pattern, t + 10)), empty());

    append(capture, records, records.length / 2, t + 600);
    assertThat("grown", taken(poll.poll(pattern, t + 600)), empty());
    assertThat("unchanged for 900 ms", taken(poll.poll(pattern, t + 1500)), empty());
    assertThat(
        "unchanged for an interval",
        taken(poll.poll(pattern, t + 1600)),
        contains(capture.toString()));
  }

  @Test
  void aCaptureLastModifiedAnIntervalAgoIsTakenAtOnce() throws IOException {
    Path capture = dir.resolve("archived.snoop");
    byte[] records = TestCaptures.realistic(2, 20, 200);
    long t = System.currentTimeMillis();
    write(capture, records, 0, records.length, t - INTERVAL);
    WatchCaptures.PollCaptures poll =
        new WatchCaptures.PollCaptures(Duration.millis(INTERVAL), null);
    assertThat(
        taken(poll.poll(dir.resolve("*.snoop").toString(), t)), contains(capture.toString()));
  }

  private static List<String> taken(WatchCaptures.PollCaptures.Polled polled) {
    return polled.taken().stream()
        .map(TimestampedValue::getValue)
        .map(m -> m.resourceId().toString())
        .collect(Collectors.toList());
  }

  private static void write(Path file, byte[] bytes, int from, int to, long modified)
      throws IOException {
    Files.write(file, Arrays.copyOfRange(bytes, from, to));
    Files.setLastModifiedTime(file, FileTime.fromMillis(modified));
  }

  private static void append(Path file, byte[] bytes, int from, long modified) throws IOException {
    Files.write(file, Arrays.copyOfRange(bytes, from, bytes.length), StandardOpenOption.APPEND);
    Files.setLastModifiedTime(file, FileTime.fromMillis(modified));
  }
}
