package dev.connbal.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SEMANTICS.md "Interrupting a run" on a run over a file, on both runners that run in this JVM: the
 * first interrupt, delivered while the capture is being read, stops the reading; the rows of what
 * was read are printed, stderr says they are partial, the run report counts fewer packets than the
 * file holds, and the exit status is 130.
 *
 * <p>The interrupt waits until the capture reader of this JVM has read a part of the capture, so
 * that it hits the reading and not the start of the run (which an interrupt ends at once). The
 * capture is read as one range from its start (Linux only: the test watches the process's byte
 * count in /proc). A partial read of {@link BulkCapture} can only lose lookups and attempts: every
 * printed row is one of the whole capture's, with at most its counts.
 */
@EnabledOnOs(OS.LINUX)
class FileRunInterruptTest {
  /** Large enough that reading it takes a good part of a second even on a fast, idle machine. */
  private static final long CAPTURE_BYTES = 400L << 20;

  /**
   * How far the reading gets before the interrupt: past the capture's first lookups (at its start)
   * and many attempts, far from its end.
   */
  private static final long READ_BEFORE_INTERRUPT = 32L << 20;

  private static final String READER = "dev.connbal.snoop.CaptureFileReader";
  private static final Pattern PACKETS_READ = Pattern.compile("(?m)^packets read: (\\d+)$");

  @TempDir static Path dir;

  private static Path capture;
  private static BulkCapture.Result whole;

  @BeforeAll
  static void writeCapture() throws Exception {
    capture = dir.resolve("bulk.snoop");
    whole = BulkCapture.write(capture, CAPTURE_BYTES);
  }

  @ParameterizedTest
  @ValueSource(strings = {"DirectRunner", "FlinkRunner"})
  void firstInterruptPrintsWhatWasReadAsPartial(String runner) throws Exception {
    TestInterrupts hook = new TestInterrupts();
    AtomicReference<CommandOutcome> outcome = new AtomicReference<>();
    Thread command =
        new Thread(
            () ->
                outcome.set(
                    CommandOutcome.runWith(
                        hook,
                        new ByteArrayInputStream(new byte[0]),
                        "-f",
                        capture.toString(),
                        // One range, read from the start: what is read first is the first lookups.
                        "--split-size=" + (1L << 30),
                        "--runner=" + runner)));
    command.start();
    assertThat("the capture is being read", awaitReading(command), is(true));
    hook.interrupt();
    command.join(TimeUnit.MINUTES.toMillis(5));

    CommandOutcome stopped = outcome.get();
    assertThat("the command ended", stopped, notNullValue());
    assertThat(stopped.toString(), stopped.exitCode, is(130));
    assertThat(stopped.err, containsString("SIGINT: reading stops here"));
    assertThat(
        stopped.err,
        containsString("interrupted by SIGINT: the output covers only what was read before it"));
    assertThat(stopped.err, not(containsString("before the run finished")));
    Matcher packets = PACKETS_READ.matcher(stopped.err);
    assertThat(stopped.toString(), packets.find(), is(true));
    long read = Long.parseLong(packets.group(1));
    assertThat(read, greaterThan(0L));
    assertThat(read, lessThan(whole.packets()));

    Map<String, long[]> all = counts(whole.expectedTsv());
    Map<String, long[]> partial = counts(stopped.out);
    assertThat(stopped.toString(), partial.size(), greaterThan(0));
    for (Map.Entry<String, long[]> row : partial.entrySet()) {
      long[] most = all.get(row.getKey());
      assertThat("a row of the whole capture: " + row.getKey(), most, notNullValue());
      assertThat(row.getKey() + " #conns", row.getValue()[0], lessThanOrEqualTo(most[0]));
      assertThat(row.getKey() + " #dns", row.getValue()[1], lessThanOrEqualTo(most[1]));
    }
  }

  /**
   * Waits until some thread of this JVM reads the capture and the process has read {@value
   * #READ_BEFORE_INTERRUPT} bytes more since: whether that happened before the command ended. Bytes
   * read are the kernel's count of the process ({@code rchar} of {@code /proc/self/io}), as the
   * runners report none while they run.
   */
  private static boolean awaitReading(Thread command) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    long readingFrom = -1;
    while (command.isAlive() && System.nanoTime() < deadline) {
      if (readingFrom < 0 && inReader()) {
        readingFrom = bytesReadByThisProcess();
      } else if (readingFrom >= 0
          && bytesReadByThisProcess() - readingFrom >= READ_BEFORE_INTERRUPT) {
        return true;
      }
      Thread.sleep(2);
    }
    return false;
  }

  private static boolean inReader() {
    for (StackTraceElement[] stack : Thread.getAllStackTraces().values()) {
      for (StackTraceElement frame : stack) {
        if (frame.getClassName().equals(READER)) {
          return true;
        }
      }
    }
    return false;
  }

  private static long bytesReadByThisProcess() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
      if (line.startsWith("rchar:")) {
        return Long.parseLong(line.substring("rchar:".length()).trim());
      }
    }
    throw new IOException("no rchar in /proc/self/io");
  }

  /** #conns and #dns of each (client, backend:port, name) of a TSV. */
  private static Map<String, long[]> counts(String tsv) {
    Map<String, long[]> counts = new HashMap<>();
    for (String line : tsv.split("\n")) {
      if (line.isEmpty()) {
        continue;
      }
      String[] f = line.split("\t");
      counts.put(
          f[0] + "\t" + f[1] + "\t" + f[4],
          new long[] {Long.parseLong(f[2]), Long.parseLong(f[3])});
    }
    return counts;
  }
}
