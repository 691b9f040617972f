package dev.connbal.pipeline;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * Writes the {@code --run-report} document to a file of any Beam FileSystem so that a reader (a
 * scheduler, a monitor polling the path) never sees half of it: it either finds the previous
 * document, or none, or the whole new one.
 *
 * <p>On object stores ({@code s3://}, {@code gs://}) an object becomes visible only when its upload
 * completes, so the document is written in place: a rename there is a copy and a delete, which
 * would add requests and leave a temporary object behind when the delete fails. Everywhere else it
 * is written to a temporary sibling that is then renamed into place (an atomic move on local
 * disks), and the sibling is deleted when the write fails.
 */
final class RunReportFile {
  /** Schemes whose objects appear whole or not at all. */
  private static final Set<String> WHOLE_OBJECT_SCHEMES = Set.of("s3", "gs");

  private RunReportFile() {}

  /**
   * The resource {@code path} names, checked before a run so that a scheme without a file system (a
   * typo, a module not in the jar) is a usage error rather than a lost report.
   *
   * @throws IllegalArgumentException if no registered FileSystem handles {@code path}
   */
  static ResourceId resolve(String path) {
    return FileSystems.matchNewResource(path, false);
  }

  /** Writes {@code json} to {@code file}, replacing what is there. */
  static void write(ResourceId file, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    if (WHOLE_OBJECT_SCHEMES.contains(file.getScheme().toLowerCase(Locale.ROOT))) {
      writeTo(file, bytes);
      return;
    }
    ResourceId partial =
        file.getCurrentDirectory()
            .resolve(
                file.getFilename() + ".partial-" + UUID.randomUUID(),
                StandardResolveOptions.RESOLVE_FILE);
    try {
      writeTo(partial, bytes);
      FileSystems.rename(List.of(partial), List.of(file));
    } catch (IOException | RuntimeException e) {
      try {
        FileSystems.delete(List.of(partial), StandardMoveOptions.IGNORE_MISSING_FILES);
      } catch (IOException | RuntimeException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  private static void writeTo(ResourceId file, byte[] bytes) throws IOException {
    try (OutputStream out =
        Channels.newOutputStream(FileSystems.create(file, "application/json"))) {
      out.write(bytes);
    }
  }
}
