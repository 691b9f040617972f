package dev.connbal.pipeline;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/**
 * Writes the single element of a {@code PCollection<String>}, after a fixed header, to one file of
 * any Beam FileSystem: how a run's results reach the driver on every runner, also a remote Flink
 * cluster. It replaces {@code TextIO.write().withoutSharding()}, whose temporary-file, gathering
 * and finalizing stages (shuffles and side inputs) are a fixed cost per result, large beside one
 * small document. The input must hold exactly one element, so exactly one call writes the file; it
 * writes a temporary sibling and renames it into place, so that the file only ever exists complete,
 * and a retried bundle writes the same content again.
 */
final class WriteDocument extends PTransform<PCollection<String>, PDone> {
  /** What the name of a file being written has after the file's own name. */
  static final String PARTIAL = ".partial-";

  private final ResourceId file;
  private final String header;
  private final String mimeType;

  private WriteDocument(ResourceId file, String header, String mimeType) {
    this.file = file;
    this.header = header;
    this.mimeType = mimeType;
  }

  /** Writes the element to {@code file}, replacing it if it exists. */
  static WriteDocument to(ResourceId file) {
    return new WriteDocument(file, "", "text/plain");
  }

  /** Writes {@code header} before the element. */
  WriteDocument withHeader(String header) {
    return new WriteDocument(file, header, mimeType);
  }

  /** The file's media type where the file system keeps one (an S3 object's Content-Type). */
  WriteDocument withMimeType(String mimeType) {
    return new WriteDocument(file, header, mimeType);
  }

  @Override
  public PDone expand(PCollection<String> document) {
    document.apply("WriteFile", ParDo.of(new WriteFileFn(file, header, mimeType)));
    return PDone.in(document.getPipeline());
  }

  private static final class WriteFileFn extends DoFn<String, Void> {
    private final ResourceId file;
    private final String header;
    private final String mimeType;

    WriteFileFn(ResourceId file, String header, String mimeType) {
      this.file = file;
      this.header = header;
      this.mimeType = mimeType;
    }

    @ProcessElement
    public void process(@Element String document) throws IOException {
      write(file, header, document, mimeType);
    }
  }

  /**
   * Writes {@code header} and {@code document} to {@code file} through a temporary sibling renamed
   * into place, so that the file only ever exists complete (on S3 the rename is a copy, which makes
   * the object appear whole as well).
   */
  static void write(ResourceId file, String header, String document, String mimeType)
      throws IOException {
    ResourceId partial =
        file.getCurrentDirectory()
            .resolve(
                file.getFilename() + PARTIAL + UUID.randomUUID(),
                StandardResolveOptions.RESOLVE_FILE);
    try (OutputStream out = Channels.newOutputStream(FileSystems.create(partial, mimeType))) {
      out.write(header.getBytes(StandardCharsets.UTF_8));
      out.write(document.getBytes(StandardCharsets.UTF_8));
    }
    FileSystems.rename(List.of(partial), List.of(file));
  }
}
