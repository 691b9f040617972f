package dev.connbal.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteDocumentTest {
  @TempDir Path directory;

  private static void write(String document, WriteDocument write) {
    PipelineOptions options = PipelineOptionsFactory.create();
    options.setRunner(DirectRunner.class);
    Pipeline pipeline = Pipeline.create(options);
    pipeline.apply(Create.of(document).withCoder(StringUtf8Coder.of())).apply(write);
    pipeline.run().waitUntilFinish();
  }

  @Test
  void writesTheHeaderAndTheElementAndNothingElse() throws Exception {
    Path file = directory.resolve("new/result.tsv");

    write(
        "a\tb\nc\td\n",
        WriteDocument.to(FileSystems.matchNewResource(file.toString(), false))
            .withHeader("h1\th2\n"));

    assertThat(Files.readString(file), equalTo("h1\th2\na\tb\nc\td\n"));
    try (Stream<Path> files = Files.list(file.getParent())) {
      assertThat(files.collect(Collectors.toList()), contains(file));
    }
  }

  @Test
  void replacesAnExistingFileWithTheElementAlone() throws Exception {
    Path file = Files.writeString(directory.resolve("result.tsv"), "old and longer content\n");

    write("", WriteDocument.to(FileSystems.matchNewResource(file.toString(), false)));

    assertThat(Files.readString(file), equalTo(""));
    try (Stream<Path> files = Files.list(directory)) {
      assertThat(files.collect(Collectors.toList()), contains(file));
    }
  }
}
