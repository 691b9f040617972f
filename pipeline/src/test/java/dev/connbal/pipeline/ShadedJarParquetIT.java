package dev.connbal.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.is;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link WriteParquet} on the shaded jar alone, in a JVM of its own ({@link ParquetJarCheck}): the
 * jar holds every class Parquet's writer loads (pipeline/pom.xml keeps only a few of Hadoop's
 * dependencies) and its merged service files, on the Direct runner and on embedded Flink, which
 * looks for Hadoop on its class path and now finds some of it. Nothing goes to stderr (no library
 * warnings), and the file holds {@link TestCaptures}' hand-derived rows.
 */
class ShadedJarParquetIT {
  private static final long TIMEOUT_SECONDS = 300;

  @TempDir Path work;

  @ParameterizedTest
  @ValueSource(strings = {"--runner=DirectRunner", "--runner=FlinkRunner"})
  void theShadedJarWritesTheRowsAsParquet(String runner) throws Exception {
    Path api = TestCaptures.writeApi(work.resolve("api.snoop"));
    Path prefix = work.resolve("out/lb");
    Files.createDirectories(prefix.getParent());

    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // The same --add-opens as this JVM (failsafe's argLine): Beam and Flink need them on 17.
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(arg -> arg.startsWith("--add-opens"))
        .forEach(command::add);
    command.add("-Xmx1g");
    command.add("-cp");
    command.add(
        Path.of(System.getProperty("connbal.jar")).toRealPath()
            + java.io.File.pathSeparator
            + Path.of(
                    ParquetJarCheck.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())
                .toRealPath());
    command.addAll(
        List.of(ParquetJarCheck.class.getName(), api.toString(), prefix.toString(), runner));
    Process process =
        new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(devNull())).start();
    CompletableFuture<String> out = drain(process.getInputStream());
    CompletableFuture<String> err = drain(process.getErrorStream());
    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("ParquetJarCheck did not end within " + TIMEOUT_SECONDS + " s");
    }
    String context = "stdout:\n" + out.get() + "\nstderr:\n" + err.get();

    assertThat(context, process.exitValue(), is(0));
    assertThat(context, err.get(), is(emptyString()));
    // TestCaptures.API_TSV as records.
    List<List<Object>> records =
        ParquetFiles.records(work.resolve("out/lb-00000-of-00001.parquet")).stream()
            .map(ShadedJarParquetIT::values)
            .collect(Collectors.toList());
    assertThat(
        records,
        containsInAnyOrder(
            Arrays.asList("10.0.0.1", "10.0.1.1", 443, 2L, 1L, "api.example.com.", null, null),
            Arrays.asList("10.0.0.1", "10.0.1.2", 443, 1L, 1L, "api.example.com.", null, null)));
  }

  private static List<Object> values(GenericRecord record) {
    List<Object> values = new ArrayList<>();
    for (int i = 0; i < record.getSchema().getFields().size(); i++) {
      Object value = record.get(i);
      values.add(value instanceof CharSequence ? value.toString() : value);
    }
    return values;
  }

  private static java.io.File devNull() {
    return new java.io.File("/dev/null");
  }

  private static CompletableFuture<String> drain(java.io.InputStream stream) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            return "(unreadable: " + e + ")";
          }
        });
  }
}
