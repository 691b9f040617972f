package dev.connbal.pipeline;

import static dev.connbal.pipeline.OwnStderrLine.ownStderrLine;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    assertThat(run.out, equalTo(TestCaptures.TSV_HEADER + TestCaptures.API_TSV));
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
  void archivesTheClassesOncePerJarAndRunsOnTheArchive() throws Exception {
    // A copy of the launcher, jar and training capture, so that this test owns the archives.
    Path root = Path.of(System.getProperty("connbal.root")).toRealPath();
    Path copy = work.resolve("root");
    Path target = Files.createDirectories(copy.resolve("pipeline/target"));
    Path jar = target.resolve("connbal.jar");
    Files.createDirectories(copy.resolve("examples/real-capture"));
    Files.createDirectories(copy.resolve("scripts"));
    for (String file :
        List.of(
            "connbal",
            "scripts/jvm-options.bash",
            "scripts/jvm-add-opens.args",
            "pipeline/target/connbal.jar",
            "examples/real-capture/capture.snoop")) {
      Files.copy(root.resolve(file), copy.resolve(file), StandardCopyOption.COPY_ATTRIBUTES);
    }
    Path copiedLauncher = copy.resolve("connbal");
    Path classLog = work.resolve("classes.log");

    Result first = launch(copiedLauncher, List.of("-f", api.toString()), Map.of());
    assertThat(first.toString(), first.exitCode, is(0));
    assertThat(first.out, equalTo(TestCaptures.API_TSV));
    assertThat(first.err, containsString("connbal: archiving the classes a run loads"));
    assertThat(
        first.toString(),
        first.err.lines().collect(Collectors.toList()),
        everyItem(ownStderrLine()));
    List<Path> archives = archives(target);
    assertThat(archives, hasSize(1));

    Result second =
        launch(
            copiedLauncher,
            List.of("-f", api.toString()),
            Map.of("CONNBAL_JAVA_OPTS", "-Xlog:class+load=info:file=" + classLog));
    assertThat(second.toString(), second.exitCode, is(0));
    assertThat(second.out, equalTo(TestCaptures.API_TSV));
    assertThat(second.err, not(containsString("archiving")));
    assertThat(
        Files.readString(classLog),
        containsString("dev.connbal.pipeline.ConnBalCommand source: shared objects file (top)"));

    // The JVM cannot use the archive with another collector: the run goes on as without it, and
    // the JVM's complaint must not reach stdout.
    Result otherGc =
        launch(
            copiedLauncher,
            List.of("-f", api.toString()),
            Map.of("CONNBAL_JAVA_OPTS", "-XX:+UseSerialGC"));
    assertThat(otherGc.toString(), otherGc.exitCode, is(0));
    assertThat(otherGc.out, equalTo(TestCaptures.API_TSV));

    // A rebuilt jar gets an archive of its own, which replaces the old one.
    Files.setLastModifiedTime(
        jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 60_000));
    Result rebuilt = launch(copiedLauncher, List.of("-f", api.toString()), Map.of());
    assertThat(rebuilt.toString(), rebuilt.exitCode, is(0));
    assertThat(rebuilt.out, equalTo(TestCaptures.API_TSV));
    assertThat(rebuilt.err, containsString("connbal: archiving the classes a run loads"));
    List<Path> newArchives = archives(target);
    assertThat(newArchives, hasSize(1));
    assertThat(newArchives, not(equalTo(archives)));

    Result off =
        launch(
            copiedLauncher,
            List.of("-f", api.toString()),
            Map.of(
                "CONNBAL_CLASS_ARCHIVE",
                "off",
                "CONNBAL_JAVA_OPTS",
                "-Xlog:class+load=info:file=" + classLog));
    assertThat(off.toString(), off.exitCode, is(0));
    assertThat(off.out, equalTo(TestCaptures.API_TSV));
    assertThat(Files.readString(classLog), not(containsString("shared objects file (top)")));
  }

  private static List<Path> archives(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files
          .filter(f -> f.getFileName().toString().startsWith("connbal-cds-"))
          .sorted()
          .collect(Collectors.toList());
    }
  }

  @Test
  void ctrlCWhileReadingStdinAnalyzesWhatArrived() throws Exception {
    byte[] capture = Files.readAllBytes(api);
    Path report = work.resolve("ctrl-c.json");
    ProcessBuilder builder = processBuilder(List.of("--run-report=" + report));
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
    JsonNode json = RunReportJsonTest.read(report);
    assertThat(json.get("exit_status").asInt(), is(0));
    assertThat(json.get("kind").asText(), equalTo("OK"));
    assertThat(json.get("inputs").get("stdin_interrupted").asBoolean(), is(true));
    assertThat(json.get("output").get("partial").asBoolean(), is(true));
    assertThat(RunReportJsonTest.counters(json).get("packets"), is(9L));
    stdin.close();
  }

  /**
   * SIGTERM, as {@code timeout} or systemd stop a job, while connbal still reads stdin: it exits
   * with 143, what a shell shows for a process SIGTERM killed, after writing the run report.
   */
  @Test
  void sigtermEndsTheRunWith143AfterWritingTheReport() throws Exception {
    byte[] capture = Files.readAllBytes(api);
    Path report = work.resolve("reports/stopped.json");
    Process process = processBuilder(List.of("--run-report=" + report)).start();
    CompletableFuture<String> out = readAsync(process.getInputStream());
    CompletableFuture<String> err = readAsync(process.getErrorStream());
    OutputStream stdin = process.getOutputStream();
    stdin.write(capture);
    stdin.flush();
    awaitSpool(capture.length);
    run("kill", "-TERM", Long.toString(process.pid()));
    assertThat("connbal ended", process.waitFor(120, TimeUnit.SECONDS), is(true));
    String stderr = err.get();
    assertThat(stderr, process.exitValue(), is(143));
    assertThat(out.get(), emptyString());
    assertThat(
        stderr,
        containsString(
            "connbal: interrupted by SIGTERM before the run finished\n"
                + "connbal: wrote run report "
                + report
                + "\n"));
    assertThat(stderr.lines().collect(Collectors.toList()), everyItem(ownStderrLine()));
    JsonNode json = RunReportJsonTest.read(report);
    assertThat(json.get("exit_status").asInt(), is(143));
    assertThat(json.get("kind").asText(), equalTo("INTERRUPTED"));
    assertThat(
        RunReportJsonTest.texts(json.get("errors")),
        contains("interrupted by SIGTERM before the run finished"));
    assertThat(json.get("output").get("written").asBoolean(), is(false));
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
    return processBuilder(launcher, args, Map.of());
  }

  /** {@code launcherPath} run with {@code args}; {@code environment} adds to or overrides ours. */
  private ProcessBuilder processBuilder(
      Path launcherPath, List<String> args, Map<String, String> environment) {
    List<String> command = new ArrayList<>();
    command.add(launcherPath.toString());
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder
        .environment()
        .put("CONNBAL_JAVA_OPTS", "-Xmx1g -Djava.io.tmpdir=" + work.resolve("tmp"));
    builder.environment().putAll(environment);
    return builder;
  }

  private Result launch(List<String> args, byte[] stdin) throws Exception {
    return launch(processBuilder(args), stdin);
  }

  private Result launch(Path launcherPath, List<String> args, Map<String, String> environment)
      throws Exception {
    return launch(processBuilder(launcherPath, args, environment), null);
  }

  private Result launch(ProcessBuilder builder, byte[] stdin) throws Exception {
    Process process = builder.start();
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
