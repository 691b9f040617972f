package dev.connbal.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/** What the cluster tests do with the processes they start: tools run, outputs drained. */
final class ChildProcesses {
  private ChildProcesses() {}

  /** All of {@code stream} as UTF-8, read on a thread of its own so the child never blocks. */
  static CompletableFuture<String> readAsync(InputStream stream) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (InputStream in = stream) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  /** Runs {@code command} with this process's streams and asserts that it succeeds. */
  static void run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).inheritIO().start();
    assertThat(String.join(" ", command), process.waitFor(), is(0));
  }
}
