package dev.connbal.transforms.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * Runs a test pipeline and hands back the documents (the strings) it made: for the transforms that
 * render one document ({@code OneDocument}, {@code Documents}, {@code Summary.tsv}).
 */
public final class DocumentsOf {
  /** Per run, what its collecting step saw: runs of parallel tests never mix. */
  private static final Map<String, Queue<String>> SEEN = new ConcurrentHashMap<>();

  private DocumentsOf() {}

  /** A pipeline on the Direct runner. */
  public static Pipeline directPipeline() {
    PipelineOptions options = PipelineOptionsFactory.create();
    options.setRunner(DirectRunner.class);
    return Pipeline.create(options);
  }

  /** Runs the pipeline of {@code documents} to its end; the documents, in no order. */
  public static List<String> run(PCollection<String> documents) {
    String run = UUID.randomUUID().toString();
    SEEN.put(run, new ConcurrentLinkedQueue<>());
    try {
      documents.apply("CollectDocuments", ParDo.of(new Collect(run)));
      documents.getPipeline().run().waitUntilFinish();
      return new ArrayList<>(SEEN.get(run));
    } finally {
      SEEN.remove(run);
    }
  }

  /** {@link #run}, for a pipeline that makes exactly one document: that document. */
  public static String runOne(PCollection<String> documents) {
    List<String> all = run(documents);
    if (all.size() != 1) {
      throw new AssertionError("expected one document, got " + all.size() + ": " + all);
    }
    return all.get(0);
  }

  private static final class Collect extends DoFn<String, Void> {
    private final String run;

    Collect(String run) {
      this.run = run;
    }

    @ProcessElement
    public void process(@Element String document) {
      SEEN.get(run).add(document);
    }
  }
}
