package dev.connbal.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import java.io.ByteArrayInputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class StdinSpoolTest {
  @TempDir Path dir;

  @Test
  void spoolsTheWholeStreamUntilEndOfStream() throws Exception {
    byte[] data = new byte[3 << 20];
    new Random(1).nextBytes(data);
    Path target = dir.resolve("spool");
    StdinSpool.Spooled spooled =
        StdinSpool.spool(new ByteArrayInputStream(data), target, InterruptHook.none());
    assertThat(spooled.bytes(), is((long) data.length));
    assertThat(spooled.interrupted(), is(false));
    assertThat(Arrays.equals(Files.readAllBytes(target), data), is(true));
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void anInterruptStopsSpoolingWithWhatHasArrived() throws Exception {
    AtomicReference<Runnable> interrupt = new AtomicReference<>();
    CompletableFuture<Void> hooked = new CompletableFuture<>();
    AtomicReference<Boolean> released = new AtomicReference<>(false);
    InterruptHook hook =
        action -> {
          interrupt.set(action);
          hooked.complete(null);
          return () -> released.set(true);
        };
    PipedOutputStream writer = new PipedOutputStream();
    PipedInputStream stdin = new PipedInputStream(writer, 1 << 16);
    Path target = dir.resolve("spool");
    CompletableFuture<StdinSpool.Spooled> spooled =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return StdinSpool.spool(stdin, target, hook);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    hooked.get();
    byte[] first = "snoop\0\0\0 first bytes".getBytes(StandardCharsets.US_ASCII);
    writer.write(first);
    writer.flush();
    while (Files.size(target) < first.length) {
      Thread.sleep(10);
    }
    // The writer stays open: only the interrupt can end spooling.
    interrupt.get().run();
    assertThat(spooled.get().bytes(), is((long) first.length));
    assertThat(spooled.get().interrupted(), is(true));
    assertThat(Files.readAllBytes(target), equalTo(first));
    assertThat(released.get(), is(true));
    writer.close();
  }
}
