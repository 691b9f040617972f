package dev.connbal.snoop.testing;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class S3ProxyServerTest {
  @TempDir Path tmp;

  @Test
  void servesUploadedObjectsToBeamS3FileSystemAndDiesOnClose() throws Exception {
    byte[] content = new byte[300_000];
    new Random(7).nextBytes(content);
    Path file = tmp.resolve("object.bin");
    Files.write(file, content);

    long pid;
    try (S3ProxyServer server = S3ProxyServer.startTransient()) {
      pid = server.pid();
      server.createBucket("captures");
      server.upload("captures", "dir/object.bin", file);

      PipelineOptions options =
          PipelineOptionsFactory.fromArgs(server.pipelineOptionsArgs().toArray(new String[0]))
              .create();
      FileSystems.setDefaultPipelineOptions(options);
      MatchResult match = FileSystems.match("s3://captures/dir/*.bin");
      assertThat(match.status(), is(MatchResult.Status.OK));
      List<MatchResult.Metadata> metadata = match.metadata();
      assertThat(metadata, hasSize(1));
      assertThat(metadata.get(0).sizeBytes(), equalTo((long) content.length));
      try (InputStream in =
          Channels.newInputStream(FileSystems.open(metadata.get(0).resourceId()))) {
        assertThat(in.readAllBytes(), equalTo(content));
      }
    }
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), is(false));
  }

  @Test
  void filesystemBackendKeepsObjectsOnDisk() throws Exception {
    Path base = tmp.resolve("s3data");
    Path file = tmp.resolve("a.txt");
    Files.writeString(file, "hello");
    try (S3ProxyServer server = S3ProxyServer.startFilesystem(base)) {
      server.createBucket("bucket-one");
      server.upload("bucket-one", "a.txt", file);
    }
    assertThat(Files.readString(base.resolve("bucket-one").resolve("a.txt")), equalTo("hello"));
  }
}
