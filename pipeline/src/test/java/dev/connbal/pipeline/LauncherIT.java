package dev.connbal.pipeline;

import static dev.connbal.pipeline.OwnStderrLine.ownStderrLine;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./connbal} launcher as an operator runs it: a separate process on the shaded jar,
 * stdin and stdout passed through, no log noise on stderr, Ctrl-C while reading stdin.
 */
class LauncherIT {
  @TempDir Path work;
  Path launcher;
  Path api;

  @BeforeEach
  void setUp() throws Exception {
    launcher = Path.of(System.getProperty("connbal.root")).toRealPath().resolve("connbal");
    api = TestCaptures.writeApi(work.resolve("api.snoop"));
    Files.createDirectories(work.resolve("tmp"));
  }

  @Test
  void runsTheShadedJarWithStdoutForTheTsvOnly() throws Exception {
    Result run = launch(List.of("--header", "-f", api.toString()), null);
    assertThat(run.toString(), run.exitCode, is(0));
    assertThat(run.out, equalTo(ConnbalPipeline.HEADER + TestCaptures.API_TSV));
    assertThat(
        run.toString(), run.err.lines().collect(Collectors.toList()), everyItem(ownStderrLine()));
  }

  @Test
  void embeddedFlinkWorksOutOfTheBoxAndQuietly() throws Exception {
    Result run =
        launch(List.of("-f", api.toString(), "--runner=FlinkRunner", "--parallelism=2"), null);
    assertThat(run.toString(), run.exitCode, is(0));
    assertThat(run.out, equalTo(TestCaptures.API_TSV));
    assertThat(
        run.toString(), run.err.lines().collect(Collectors.toList()), everyItem(ownStderrLine()));
  }

  @Test
  void usageErrorExitsOne() throws Exception {
    Result run = launch(List.of("-f"), null);
    assertThat(run.exitCode, is(1));
    assertThat(run.out, emptyString());
    assertThat(run.err, startsWith("connbal: option -f needs a value\n"));
  }

  @Test
  void ctrlCWhileReadingStdinAnalysesWhatArrived() throws Exception {
    byte[] capture = Files.readAllBytes(api);
    ProcessBuilder builder = processBuilder(List.of());
    Process process = builder.start();
    CompletableFuture<String> out = readAsync(process.getInputStream());
    CompletableFuture<String> err = readAsync(process.getErrorStream());
    OutputStream stdin = process.getOutputStream();
    stdin.write(capture);
    stdin.flush();
    // The spool file exists and holds everything once the interrupt handler is in place.
    Path spool = awaitSpool(capture.length);
    assertThat(spool.getFileName().toString(), startsWith("connbal-stdin-"));
    run("kill", "-INT", Long.toString(process.pid()));
    assertThat("connbal ended", process.waitFor(120, TimeUnit.SECONDS), is(true));
    String stderr = err.get();
    assertThat(stderr, process.exitValue(), is(0));
    assertThat(out.get(), equalTo(TestCaptures.API_TSV));
    assertThat(stderr, containsString("packets read: 9"));
    stdin.close();
  }

  private Path awaitSpool(long size) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      try (Stream<Path> files = Files.list(work.resolve("tmp"))) {
        for (Path file : (Iterable<Path>) files::iterator) {
          if (file.getFileName().toString().startsWith("connbal-stdin-")
              && Files.size(file) == size) {
            return file;
          }
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("connbal did not spool stdin");
  }

  private static CompletableFuture<String> readAsync(java.io.InputStream in) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  private ProcessBuilder processBuilder(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(launcher.toString());
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder
        .environment()
        .put("CONNBAL_JAVA_OPTS", "-Xmx1g -Djava.io.tmpdir=" + work.resolve("tmp"));
    return builder;
  }

  private Result launch(List<String> args, byte[] stdin) throws Exception {
    Process process = processBuilder(args).start();
    CompletableFuture<String> out = readAsync(process.getInputStream());
    CompletableFuture<String> err = readAsync(process.getErrorStream());
    try (OutputStream in = process.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin);
      }
    }
    if (!process.waitFor(180, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("connbal did not finish: " + err.getNow(""));
    }
    return new Result(process.exitValue(), out.get(), err.get());
  }

  private static void run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).inheritIO().start();
    assertThat(String.join(" ", command), process.waitFor(), is(0));
  }

  private static final class Result {
    final int exitCode;
    final String out;
    final String err;

    Result(int exitCode, String out, String err) {
      this.exitCode = exitCode;
      this.out = out;
      this.err = err;
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }
}
