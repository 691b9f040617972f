package dev.connbal.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.anEmptyMap;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code --window} over a live stream on stdin (SEMANTICS.md "Windows"): each window is printed
 * once capture time has passed its end, while the stream goes on, and at the end every window is
 * the one a run over the same capture as a file prints.
 */
class LiveStdinTest {
  private static final Path REAL_CAPTURE = Path.of("../examples/real-capture/capture.snoop");
  private static final Path PCAPNG =
      Path.of("../io-snoop/src/test/resources/captures/capture.pcapng");
  private static final int SNOOP_FILE_HEADER = 16;
  private static final int SNOOP_RECORD_LENGTH_AT = 8;
  private static final int SNOOP_SECONDS_AT = 16;

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void windowsPrintWhileTheStreamGoesOn() throws Exception {
    byte[] capture = Files.readAllBytes(REAL_CAPTURE);
    List<byte[]> records = snoopRecords(capture);
    long firstSecond = seconds(records.get(0));
    // Everything up to two seconds in: the first 1-second window is over, the stream is not.
    int cut = 0;
    while (seconds(records.get(cut)) < firstSecond + 2) {
      cut++;
    }

    PipedOutputStream writer = new PipedOutputStream();
    PipedInputStream stdin = new PipedInputStream(writer, 1 << 20);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    AtomicInteger exit = new AtomicInteger(-1);
    Thread command =
        new Thread(
            () ->
                exit.set(
                    new ConnBalCommand(InterruptHook.none(), false)
                        .execute(
                            new String[] {"--window=1s"},
                            stdin,
                            new PrintStream(out, true, StandardCharsets.UTF_8),
                            new PrintStream(err, true, StandardCharsets.UTF_8))));
    command.start();

    writer.write(capture, 0, SNOOP_FILE_HEADER);
    writeSlowly(writer, records.subList(0, cut));
    String firstWindow = Instant.ofEpochSecond(firstSecond) + "\t";
    for (int i = 0; i < 1200 && !text(out).contains(firstWindow); i++) {
      Thread.sleep(100);
    }
    assertThat(
        "the first window is printed while stdin is open\n" + text(err),
        text(out).startsWith(firstWindow),
        is(true));

    writeSlowly(writer, records.subList(cut, records.size()));
    writer.close();
    command.join(120_000);
    assertThat(text(err), exit.get(), is(0));

    CommandOutcome batch = CommandOutcome.run("-f", REAL_CAPTURE.toString(), "--window=1s");
    assertThat(batch.toString(), batch.exitCode, is(0));
    assertThat(windows(text(out)), equalTo(windows(batch.out)));
  }

  /** tcpdump's pcapng, gzip-compressed, all at once: the windows of the file. */
  @Test
  void aGzippedPcapngStreamGivesTheWindowsOfTheFile() throws IOException {
    ByteArrayOutputStream zipped = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
      gzip.write(Files.readAllBytes(PCAPNG));
    }
    CommandOutcome live =
        CommandOutcome.runWithStdin(new ByteArrayInputStream(zipped.toByteArray()), "--window=1s");
    CommandOutcome batch = CommandOutcome.run("-f", PCAPNG.toString(), "--window=1s");
    assertThat(live.toString(), live.exitCode, is(0));
    assertThat(batch.toString(), batch.exitCode, is(0));
    assertThat(windows(batch.out), not(anEmptyMap()));
    assertThat(windows(live.out), equalTo(windows(batch.out)));
  }

  /** The records of a snoop capture, each with its header, in file order. */
  static List<byte[]> snoopRecords(byte[] capture) {
    List<byte[]> records = new ArrayList<>();
    ByteBuffer b = ByteBuffer.wrap(capture);
    for (int at = SNOOP_FILE_HEADER; at < capture.length; ) {
      int length = b.getInt(at + SNOOP_RECORD_LENGTH_AT);
      records.add(Arrays.copyOfRange(capture, at, at + length));
      at += length;
    }
    return records;
  }

  static long seconds(byte[] record) {
    return Integer.toUnsignedLong(ByteBuffer.wrap(record).getInt(SNOOP_SECONDS_AT));
  }

  /** Writes the records one by one, a few milliseconds apart, as a live capture arrives. */
  static void writeSlowly(PipedOutputStream writer, List<byte[]> records)
      throws IOException, InterruptedException {
    for (byte[] r : records) {
      writer.write(r);
      writer.flush();
      Thread.sleep(3);
    }
  }

  /**
   * The windows printed, each by its start: the lines of its last printing. A window printed again
   * is printed whole, right after the printing it replaces when nothing came between: a printing is
   * sorted by client, backend and port, so a line that does not sort after the one before begins
   * the next printing.
   */
  static Map<String, List<String>> windows(String printed) {
    Map<String, List<String>> windows = new LinkedHashMap<>();
    String[] before = null;
    for (String line : printed.lines().toList()) {
      String[] f = line.split("\t", -1);
      if (before == null || !f[0].equals(before[0]) || !sortsAfter(f, before)) {
        windows.put(f[0], new ArrayList<>());
      }
      windows.get(f[0]).add(line);
      before = f;
    }
    return windows;
  }

  /** Whether a row's (client, backend, port) sorts after another's; addresses are zero-padded. */
  private static boolean sortsAfter(String[] row, String[] other) {
    int byClient = row[1].compareTo(other[1]);
    if (byClient != 0) {
      return byClient > 0;
    }
    String backend = row[2].substring(0, row[2].lastIndexOf(':'));
    int byBackend = backend.compareTo(other[2].substring(0, other[2].lastIndexOf(':')));
    return byBackend != 0 ? byBackend > 0 : port(row[2]) > port(other[2]);
  }

  private static int port(String backend) {
    String port = backend.substring(backend.lastIndexOf(':') + 1);
    return port.equals("?") ? -1 : Integer.parseInt(port);
  }

  private static String text(ByteArrayOutputStream stream) {
    return stream.toString(StandardCharsets.UTF_8);
  }
}
