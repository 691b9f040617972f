package dev.connbal.pipeline;

import dev.connbal.transforms.output.Documents;
import java.io.IOException;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.coders.VoidCoder;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/**
 * Writes each window's document (a windowed run's {@link Documents.Render} output, one per window
 * and pane) whole to its own file ({@link WindowFiles}), after a fixed header: a pane made again
 * with late rows holds every row of its window, and replaces the file. The panes of a window are
 * written in their order: a runner may hand two panes of one window to different workers, and an
 * earlier pane written last would put back rows that a later one corrected; so the step keeps, per
 * window, the last pane it wrote, and skips any that comes after a later one.
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
    documents
        .apply("OneKey", WithKeys.<Void, String>of((Void) null))
        .setCoder(KvCoder.of(VoidCoder.of(), StringUtf8Coder.of()))
        .apply("WriteWindowFiles", ParDo.of(new WriteFn(files, header)));
    return PDone.in(documents.getPipeline());
  }

  private static final class WriteFn extends DoFn<KV<Void, String>, Void> {
    private final WindowFiles files;
    private final String header;

    /** The index of the window's last pane written. */
    @StateId("written")
    private final StateSpec<ValueState<Long>> writtenSpec = StateSpecs.value(VarLongCoder.of());

    WriteFn(WindowFiles files, String header) {
      this.files = files;
      this.header = header;
    }

    @ProcessElement
    public void process(
        @Element KV<Void, String> document,
        BoundedWindow window,
        PaneInfo pane,
        @StateId("written") ValueState<Long> written)
        throws IOException {
      Long last = written.read();
      if (last != null && pane.getIndex() <= last) {
        return;
      }
      WriteDocument.write(
          files.file(Documents.windowStart(window)), header, document.getValue(), "text/plain");
      written.write(pane.getIndex());
    }
  }
}
