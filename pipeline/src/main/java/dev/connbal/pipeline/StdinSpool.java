package dev.connbal.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Copies a snoop stream from stdin to a local file, so that the pipeline can read (and split) it
 * like any capture file. Spooling ends at end of stream or at an interrupt; after an interrupt the
 * file holds exactly the bytes that had arrived (a record cut in half is then reported by SnoopIO
 * as truncated, and everything before it is analyzed).
 *
 * <p>The copy runs on a daemon thread because a read from stdin cannot be interrupted; after an
 * interrupt that thread may stay blocked in {@code read}, and writes nothing more.
 */
final class StdinSpool {
  private static final int BUFFER = 1 << 20;

  private final Object lock = new Object();
  private boolean stopped;
  private long spooled;

  private StdinSpool() {}

  /**
   * What a spool holds.
   *
   * @param bytes the number of bytes in the target file
   * @param interrupted whether an interrupt, not the end of the stream, ended spooling: the file
   *     then holds only what had arrived, and the run's output covers only that
   */
  record Spooled(long bytes, boolean interrupted) {}

  /** Spools {@code in} into {@code target} until end of stream or until an interrupt. */
  static Spooled spool(InputStream in, Path target, InterruptHook interrupts) throws IOException {
    return new StdinSpool().run(in, target, interrupts);
  }

  private Spooled run(InputStream in, Path target, InterruptHook interrupts) throws IOException {
    // Completed once, by whichever comes first: true for an interrupt, false for end of stream.
    CompletableFuture<Boolean> done = new CompletableFuture<>();
    try (OutputStream out = Files.newOutputStream(target);
        AutoCloseable hook = interrupts.onInterrupt(() -> done.complete(true))) {
      Thread copier = new Thread(() -> copy(in, out, done), "connbal-stdin-spool");
      copier.setDaemon(true);
      copier.start();
      boolean interrupted = await(done);
      synchronized (lock) {
        stopped = true;
        return new Spooled(spooled, interrupted);
      }
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException("cannot restore the interrupt handler: " + e.getMessage(), e);
    }
  }

  /** What the thread reading stdin ended with; its failure to read stdin as an IOException. */
  static <T> T await(CompletableFuture<T> end) throws IOException {
    try {
      return end.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading stdin", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof IOException io
          ? io
          : new IOException("cannot read stdin: " + cause, cause);
    }
  }

  private void copy(InputStream in, OutputStream out, CompletableFuture<Boolean> done) {
    byte[] buffer = new byte[BUFFER];
    try {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        synchronized (lock) {
          if (stopped) {
            return;
          }
          out.write(buffer, 0, n);
          spooled += n;
        }
      }
      done.complete(false);
    } catch (IOException | UncheckedIOException e) {
      done.completeExceptionally(e);
    }
  }
}
