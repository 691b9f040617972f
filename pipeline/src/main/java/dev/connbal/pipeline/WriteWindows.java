package dev.connbal.pipeline;

import dev.connbal.transforms.output.Documents;
import java.io.IOException;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/**
 * Writes each window's document (a windowed run's {@link Documents.Render} output, one per window
 * and pane) whole to its own file ({@link WindowFiles}), after a fixed header: a pane made again
 * with late rows holds every row of its window, and replaces the file.
 */
final class WriteWindows extends PTransform<PCollection<String>, PDone> {
  private final WindowFiles files;
  private final String header;

  WriteWindows(WindowFiles files, String header) {
    this.files = files;
    this.header = header;
  }

  @Override
  public PDone expand(PCollection<String> documents) {
    documents.apply("WriteWindowFiles", ParDo.of(new WriteFn(files, header)));
    return PDone.in(documents.getPipeline());
  }

  private static final class WriteFn extends DoFn<String, Void> {
    private final WindowFiles files;
    private final String header;

    WriteFn(WindowFiles files, String header) {
      this.files = files;
      this.header = header;
    }

    @ProcessElement
    public void process(@Element String document, BoundedWindow window) throws IOException {
      WriteDocument.write(files.file(Documents.windowStart(window)), header, document);
    }
  }
}
