package dev.connbal.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import dev.connbal.snoop.SnoopWriter;
import dev.connbal.transforms.testing.Packets;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SEMANTICS.md "Interrupting a run" on a local runner: the first interrupt stops the reading (here
 * a watch, which would otherwise go on for ever), and what was read is printed, marked partial,
 * with exit status 130; a second interrupt ends the command at once. While stdin is read, the first
 * interrupt ends the stream instead, and the run succeeds.
 *
 * <p>The watched directory holds the real capture, complete, and a capture still being written that
 * begins a few seconds after it ends: the watch reads the first, and since the second's writer will
 * write nothing earlier than its first record, every window of the first is complete and printed.
 */
class InterruptTest {
  private static final Path REAL_CAPTURE = Path.of("../examples/real-capture/capture.snoop");

  @TempDir Path dir;

  @Test
  void firstInterruptEndsAWatchWithWhatWasRead() throws Exception {
    Files.copy(REAL_CAPTURE, dir.resolve("a.snoop"));
    Path watchOut = Files.createDirectories(dir.resolve("watch-out"));
    Running watch = start(dir, "-o", watchOut + "/");
    watch.grow(dir.resolve("b.snoop"));
    // The real capture's last window: every window of it is written before the interrupt.
    watch.awaitFile(watchOut.resolve("connbal-2026-11-26T22:40:37Z.tsv"));
    watch.interrupt();
    watch.thread.join(120_000);
    watch.stopGrowing();
    assertThat(watch.toString(), watch.exit.get(), is(130));
    assertThat(watch.err(), containsString("SIGINT: reading stops here"));
    assertThat(
        watch.err(),
        containsString("interrupted by SIGINT: the output covers only what was read before it"));
    assertThat(watch.err(), not(containsString("before the run finished")));
    assertThat(
        WindowedCommandTest.contents(watchOut),
        equalTo(
            WindowedCommandTest.batchWindows(
                REAL_CAPTURE.toString(), "1s", dir.resolve("batch-out"))));
  }

  @Test
  void secondInterruptEndsAtOnce() throws Exception {
    Files.copy(REAL_CAPTURE, dir.resolve("a.snoop"));
    Running watch = start(dir);
    watch.grow(dir.resolve("b.snoop"));
    watch.awaitOutput("");
    watch.interrupt();
    watch.interrupt();
    watch.thread.join(30_000);
    watch.stopGrowing();
    assertThat(watch.toString(), watch.exit.get(), is(130));
    assertThat(watch.err(), containsString("interrupted by SIGINT before the run finished"));
    assertThat(watch.err(), not(containsString("packets read")));
  }

  /**
   * While stdin is read, the first interrupt ends the stream as its end would: the run analyzes
   * what arrived and succeeds, with windows as with the whole capture in a file.
   */
  @Test
  void firstInterruptEndsAWindowedStdinStreamAsItsEndWould() throws Exception {
    CommandOutcome stopped = interruptedStdin("--window=1s");
    assertThat(stopped.toString(), stopped.exitCode, is(0));
    CommandOutcome batch = CommandOutcome.run("-f", REAL_CAPTURE.toString(), "--window=1s");
    assertThat(LiveStdinTest.windows(stopped.out), equalTo(LiveStdinTest.windows(batch.out)));
  }

  @Test
  void firstInterruptEndsStdinWithoutWindowsToo() throws Exception {
    CommandOutcome stopped = interruptedStdin();
    assertThat(stopped.toString(), stopped.exitCode, is(0));
    assertThat(
        stopped.out, equalTo(Files.readString(Path.of("../examples/real-capture/expected.tsv"))));
  }

  /**
   * Runs the command over the real capture on a stdin that then stays open, and interrupts it once
   * everything has arrived.
   */
  private static CommandOutcome interruptedStdin(String... args) throws Exception {
    byte[] capture = Files.readAllBytes(REAL_CAPTURE);
    CountDownLatch arrived = new CountDownLatch(1);
    CountDownLatch released = new CountDownLatch(1);
    InputStream stdin =
        new InputStream() {
          private int sent;

          @Override
          public int read() {
            throw new UnsupportedOperationException();
          }

          @Override
          public int read(byte[] buffer, int offset, int length) {
            if (sent < capture.length) {
              int n = Math.min(length, capture.length - sent);
              System.arraycopy(capture, sent, buffer, offset, n);
              sent += n;
              return n;
            }
            arrived.countDown();
            try {
              released.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return -1;
          }
        };
    NestedInterrupts hook = new NestedInterrupts();
    AtomicReference<CommandOutcome> outcome = new AtomicReference<>();
    Thread command = new Thread(() -> outcome.set(CommandOutcome.runWith(hook, stdin, args)));
    command.start();
    assertThat("stdin was read", arrived.await(60, TimeUnit.SECONDS), is(true));
    hook.interrupt();
    command.join(120_000);
    released.countDown();
    return outcome.get();
  }

  /**
   * Interrupts as {@link SignalHook} delivers them: to the latest action installed and not yet
   * closed (stdin's while it is read), else to the run's stop action.
   */
  private static final class NestedInterrupts implements InterruptHook {
    private final Deque<Runnable> actions = new ConcurrentLinkedDeque<>();
    private volatile StopAction stop;

    @Override
    public AutoCloseable onInterrupt(Runnable action) {
      actions.push(action);
      return () -> actions.remove(action);
    }

    @Override
    public AutoCloseable onStop(StopAction action) {
      stop = action;
      return () -> stop = null;
    }

    void interrupt() {
      Runnable action = actions.peek();
      if (action != null) {
        action.run();
      } else if (stop != null) {
        stop.stopped("SIGINT", 130);
      }
    }
  }

  private static Running start(Path dir, String... more) {
    Running running = new Running();
    List<String> argList =
        new ArrayList<>(
            List.of(
                "--watch",
                "-f",
                dir.resolve("*.snoop").toString(),
                "--window=1s",
                "--poll-interval=200ms",
                "--runner=DirectRunner"));
    argList.addAll(List.of(more));
    String[] args = argList.toArray(new String[0]);
    running.thread =
        new Thread(
            () ->
                running.exit.set(
                    new ConnBalCommand(running, false)
                        .execute(
                            args,
                            new ByteArrayInputStream(new byte[0]),
                            new PrintStream(running.out, true, StandardCharsets.UTF_8),
                            new PrintStream(running.err, true, StandardCharsets.UTF_8))));
    running.thread.start();
    return running;
  }

  /** A command running on its own thread, with an interrupt the test delivers. */
  private static final class Running extends TestInterrupts {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final AtomicInteger exit = new AtomicInteger(-1);
    Thread thread;
    private volatile boolean growing = true;
    private Thread writer;

    /**
     * Writes a capture to {@code file} that begins just after the real one and grows by a record
     * every 50 ms, until {@link #stopGrowing}: a rotating writer's current file.
     */
    void grow(Path file) throws IOException {
      ByteArrayOutputStream oneRecord = new ByteArrayOutputStream();
      // The real capture ends at 1795732837.609779 (examples/real-capture/DERIVATION.md).
      long justAfter = 1_795_732_840L;
      try (SnoopWriter w = SnoopWriter.ethernet(oneRecord)) {
        w.write(justAfter, 0, Packets.syn("10.9.9.9", 40000, "10.9.9.10", 80, 1));
      }
      byte[] capture = oneRecord.toByteArray();
      byte[] record = Arrays.copyOfRange(capture, SnoopWriter.FILE_HEADER_LENGTH, capture.length);
      Files.write(file, capture);
      writer =
          new Thread(
              () -> {
                try {
                  while (growing) {
                    Thread.sleep(50);
                    Files.write(file, record, StandardOpenOption.APPEND);
                  }
                } catch (IOException | InterruptedException e) {
                  throw new IllegalStateException(e);
                }
              });
      writer.start();
    }

    void stopGrowing() throws InterruptedException {
      growing = false;
      writer.join();
    }

    /** Waits until the watch has printed a line that starts with {@code start}. */
    void awaitOutput(String start) throws InterruptedException, IOException {
      for (int i = 0; i < 1200 && !printed(start); i++) {
        Thread.sleep(100);
      }
      if (!printed(start)) {
        throw new IOException("the watch printed no '" + start + "' in two minutes: " + this);
      }
    }

    /** Waits until the watch has written {@code file}. */
    void awaitFile(Path file) throws InterruptedException, IOException {
      for (int i = 0; i < 1200 && !Files.exists(file); i++) {
        Thread.sleep(100);
      }
      if (!Files.exists(file)) {
        throw new IOException("the watch wrote no " + file + " in two minutes: " + this);
      }
    }

    private boolean printed(String start) {
      return out().lines().anyMatch(l -> l.startsWith(start));
    }

    String out() {
      return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
      return err.toString(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return "exit " + exit.get() + "\n--- stdout\n" + out() + "--- stderr\n" + err();
    }
  }
}
