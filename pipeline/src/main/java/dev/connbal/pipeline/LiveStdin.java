package dev.connbal.pipeline;

import dev.connbal.snoop.GzipMagic;
import dev.connbal.snoop.StreamFraming;
import dev.connbal.snoop.WatchCaptures;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.joda.time.Duration;

/**
 * A live stream on stdin as captures in a directory, for a windowed run to watch ({@link #watch}),
 * so that each window is printed once capture time has passed it and not at the stream's end.
 *
 * <p>The stream is cut at its records ({@link StreamFraming}) into parts, each a complete capture
 * (the stream's prefix, then whole records) put in place by a rename, so that the watch takes it at
 * first sight. A part ends before the first record of a later window, and is put in place then; the
 * part that this record begins is put in place at the next {@link #PART_EVERY}, and its first
 * record moves the watch's watermark past the earlier windows ({@link WatchCaptures}), which are
 * then complete: a window is printed about a second after the first record past its end arrived.
 * The stream's end, or the first interrupt (SEMANTICS.md: it ends the stream as its end would),
 * puts the rest in place, a record cut short included (its reader reports it, as for a file), then
 * the end marker, at whose first sight the watch takes every part and ends.
 *
 * <p>A gzip-compressed stream is decompressed here (told by its magic), since parts are plain. A
 * stream that cannot be cut (not a capture, damaged, pcapng Simple Packet Blocks) goes into one
 * part from there on, read at its end.
 *
 * <p>Stdin is read on a daemon thread, since a read from it cannot be interrupted; after the end
 * that thread may stay blocked in {@code read}, and writes nothing more.
 */
final class LiveStdin implements StreamFraming.Units, AutoCloseable {
  /** How often the part being written is put in place. */
  static final Duration PART_EVERY = Duration.standardSeconds(1);

  /** How often the watch looks for parts. */
  static final Duration POLL = Duration.millis(500);

  /** A part is put in place at this size too: a fast stream still arrives in steps. */
  private static final long MAX_PART_BYTES = 64L << 20;

  private static final String PART = "part-";
  private static final String END = "end";

  private static final long NO_WINDOW = Long.MIN_VALUE;

  private final Path dir;
  private final long windowMicros;
  private final StreamFraming framing = new StreamFraming(this);
  private final CompletableFuture<StdinSpool.Spooled> ended = new CompletableFuture<>();
  private final ScheduledExecutorService ticker;
  private final AutoCloseable interruptHook;
  private final AtomicBoolean interruptsReleased = new AtomicBoolean();

  // Guarded by this.
  private boolean done;
  private long received;
  private int parts;
  private OutputStream part;
  private Path partFile;
  private long partBytes;

  /** The latest window of a record in the part being written. */
  private long partWindow = NO_WINDOW;

  private LiveStdin(Path dir, Duration window, InterruptHook interrupts) {
    this.dir = dir;
    this.windowMicros = window.getMillis() * 1000;
    this.ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "connbal-stdin-parts");
              t.setDaemon(true);
              return t;
            });
    this.interruptHook = interrupts.onInterrupt(() -> end(true, null));
  }

  /**
   * Starts cutting {@code in} into parts in the empty directory {@code dir}, for {@code window}s.
   */
  static LiveStdin start(InputStream in, Path dir, Duration window, InterruptHook interrupts) {
    LiveStdin live = new LiveStdin(dir, window, interrupts);
    long every = PART_EVERY.getMillis();
    live.ticker.scheduleWithFixedDelay(live::putPartInPlace, every, every, TimeUnit.MILLISECONDS);
    Thread copier = new Thread(() -> live.copy(in), "connbal-stdin");
    copier.setDaemon(true);
    copier.start();
    return live;
  }

  /** The watch of the parts: every part once, ending at the end marker. */
  WatchCaptures watch() {
    return WatchCaptures.of(List.of(dir.resolve(PART + "*").toString()))
        .withPollInterval(POLL)
        .withEndMarker(dir.resolve(END).toString());
  }

  /**
   * Waits for the stream's end (or the interrupt that ended it); says how many bytes arrived and
   * whether an interrupt ended it; throws when stdin could not be read.
   */
  StdinSpool.Spooled awaitEnd() throws IOException {
    return StdinSpool.await(ended);
  }

  /** Stops taking stdin and interrupts, whether or not the stream ended. */
  @Override
  public void close() throws Exception {
    synchronized (this) {
      done = true;
    }
    ticker.shutdownNow();
    releaseInterrupts();
  }

  @Override
  public void unit(byte[] bytes, int offset, int length, boolean prefix, long micros) {
    if (prefix && part == null) {
      return; // every part begins with it
    }
    try {
      long window =
          micros == StreamFraming.NO_TIME ? NO_WINDOW : Math.floorDiv(micros, windowMicros);
      if (part != null && window > partWindow && partWindow != NO_WINDOW && framing.cuttable()) {
        closePart();
      }
      if (part == null) {
        openPart();
      }
      partWindow = Math.max(partWindow, window);
      part.write(bytes, offset, length);
      partBytes += length;
      if (partBytes >= MAX_PART_BYTES && framing.cuttable()) {
        closePart();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void copy(InputStream in) {
    try {
      InputStream stream = GzipMagic.decompressedIfGzip(in);
      byte[] buffer = new byte[1 << 16];
      int n;
      while ((n = stream.read(buffer)) >= 0) {
        synchronized (this) {
          if (done) {
            return;
          }
          received += n;
          framing.feed(buffer, 0, n);
        }
      }
      end(false, null);
    } catch (IOException | UncheckedIOException e) {
      end(false, e instanceof UncheckedIOException u ? u.getCause() : (IOException) e);
    }
  }

  private synchronized void putPartInPlace() {
    if (done || part == null || !framing.cuttable()) {
      return;
    }
    try {
      closePart();
    } catch (IOException e) {
      end(false, e);
    }
  }

  /**
   * Ends the stream once: the rest goes into a last part (the bytes of a record cut short too, or,
   * when nothing was put in place, what arrived, even nothing, so that the read reports it as for a
   * file), then the end marker.
   */
  private synchronized void end(boolean interrupted, IOException failure) {
    if (done) {
      return;
    }
    done = true;
    ticker.shutdown();
    try {
      byte[] rest = framing.pending();
      if (part == null && (rest.length > 0 || parts == 0)) {
        openPart();
      }
      if (part != null) {
        part.write(rest);
        closePart();
      }
      Files.createFile(dir.resolve(END));
    } catch (IOException e) {
      failure = failure != null ? failure : e;
    }
    if (failure != null) {
      ended.completeExceptionally(failure);
    } else {
      ended.complete(new StdinSpool.Spooled(received, interrupted));
    }
    try {
      releaseInterrupts();
    } catch (Exception e) {
      // The run's own stop action is then not back: a later interrupt does nothing more.
    }
  }

  /** Gives interrupts back to the run, once: after the stream's end they stop the reading. */
  private void releaseInterrupts() throws Exception {
    if (interruptsReleased.compareAndSet(false, true)) {
      interruptHook.close();
    }
  }

  private void openPart() throws IOException {
    partFile = dir.resolve(String.format(".%s%06d.tmp", PART, parts));
    part = new BufferedOutputStream(Files.newOutputStream(partFile), 1 << 16);
    part.write(framing.prefix());
    partBytes = 0;
    partWindow = NO_WINDOW;
  }

  private void closePart() throws IOException {
    part.close();
    part = null;
    Files.move(
        partFile,
        dir.resolve(String.format("%s%06d.cap", PART, parts++)),
        StandardCopyOption.ATOMIC_MOVE);
  }
}
