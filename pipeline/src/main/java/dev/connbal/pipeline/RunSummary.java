package dev.connbal.pipeline;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.connbal.snoop.SnoopReadError;
import dev.connbal.transforms.report.RunReport;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * What the {@code --run-report} JSON document says about one run (README, "Scheduled runs", has the
 * schema). It is filled in while the run goes on, by the thread that runs the pipeline and by the
 * one that waits for it or for a stop signal, so every method holds the lock; {@link #toJson()}
 * renders it once at the end.
 *
 * <p>Every string in the document passes through the sanitizer when rendered, the same one that
 * stderr's lines pass through ({@link SecretRedactor}, and the stdin spool's path shown as {@code
 * <stdin>}), so the document can hold no secret that stderr would not show. Fields are named in
 * snake_case; enum values (kinds) are the upper-case names that the code and stderr use. Fields are
 * never left out: what a run did not get to is {@code null} (no runner chosen, no counters).
 */
final class RunSummary {
  /** Raised when a field changes meaning or disappears; adding a field keeps it. */
  static final int FORMAT_VERSION = 1;

  /** How the output's location reads when the TSV goes to stdout. */
  static final String STDOUT = "stdout";

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  /** How connbal came to use a runner. */
  enum RunnerChoice {
    /** Nobody named one: the Direct runner. */
    DEFAULT,
    /** The input's size or number of byte ranges made connbal choose embedded Flink. */
    INPUT_SIZE,
    /** {@code --runner} named it. */
    COMMAND_LINE
  }

  /**
   * The runner a run used.
   *
   * @param name the runner class's simple name ({@code DirectRunner}, {@code FlinkRunner})
   * @param embedded whether it ran inside connbal's JVM (the Direct runner, an embedded Flink)
   * @param flinkMaster the Flink cluster's address ({@code --flinkMaster}); null when embedded
   */
  record Runner(String name, boolean embedded, String flinkMaster, RunnerChoice chosenBy) {}

  private final Instant startedAt;
  private UnaryOperator<String> sanitizer;
  private final List<String> errors = new ArrayList<>();
  private Runner runner;
  private List<String> inputsGiven = List.of();
  private Integer files;
  private boolean stdinInterrupted;
  private String outputLocation;
  private boolean outputWritten;
  private boolean outputPartial;
  private RunReport counters;
  private final List<InputFiles.Problem> inputProblems = new ArrayList<>();
  private final List<SnoopReadError> readErrors = new ArrayList<>();
  private ExitKind kind;
  private int exitStatus;
  private Instant endedAt;
  private final CompletableFuture<Void> finished = new CompletableFuture<>();

  RunSummary(Instant startedAt, UnaryOperator<String> sanitizer) {
    this.startedAt = startedAt;
    this.sanitizer = sanitizer;
  }

  /** Replaces the sanitizer, once the run knows more to hide or rename (the spool's path). */
  synchronized void sanitizeWith(UnaryOperator<String> sanitizer) {
    this.sanitizer = sanitizer;
  }

  /** An error line as stderr shows it, without the {@code connbal: } prefix. */
  synchronized void error(String message) {
    errors.add(message);
  }

  synchronized void runner(Runner runner) {
    this.runner = runner;
  }

  /** The {@code -f} patterns, or {@code <stdin>}. */
  synchronized void inputsGiven(List<String> patterns) {
    this.inputsGiven = List.copyOf(patterns);
  }

  /** How many files the patterns matched (each counted once). */
  synchronized void files(int count) {
    this.files = count;
  }

  /** An interrupt ended stdin before its end of stream. */
  synchronized void stdinInterrupted() {
    this.stdinInterrupted = true;
  }

  /** Where the TSV goes: {@link #STDOUT} or the {@code -o} file. */
  synchronized void outputLocation(String location) {
    this.outputLocation = location;
  }

  /**
   * The TSV was delivered.
   *
   * @param partial whether it covers less than the run was given: an input could not be read at
   *     all, or an interrupt ended stdin
   */
  synchronized void outputWritten(boolean partial) {
    this.outputWritten = true;
    this.outputPartial = partial;
  }

  synchronized void counters(RunReport report) {
    this.counters = report;
  }

  synchronized void inputProblem(InputFiles.Problem problem) {
    inputProblems.add(problem);
  }

  synchronized void readError(SnoopReadError error) {
    readErrors.add(error);
  }

  /**
   * How the run ended; the first call wins, so that a stop signal and the run's own end cannot both
   * decide.
   *
   * @return whether this call decided
   */
  synchronized boolean finish(ExitKind kind, int exitStatus, Instant endedAt) {
    if (this.kind != null) {
      return false;
    }
    this.kind = kind;
    this.exitStatus = exitStatus;
    this.endedAt = endedAt;
    finished.complete(null);
    return true;
  }

  /** Waits until {@link #finish} decided. */
  void awaitFinish() {
    finished.join();
  }

  /** How the run ended; null until {@link #finish}. */
  synchronized ExitKind kind() {
    return kind;
  }

  /** The exit status {@link #finish} settled. */
  synchronized int exitStatus() {
    if (kind == null) {
      throw new IllegalStateException("the run has not finished");
    }
    return exitStatus;
  }

  /** The document, indented, ending in a newline; call after {@link #finish}. */
  synchronized String toJson() {
    if (kind == null) {
      throw new IllegalStateException("the run has not finished");
    }
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("format_version", FORMAT_VERSION);
    root.put("exit_status", exitStatus);
    root.put("kind", kind.name());
    root.put("meaning", kind.meaning());
    ArrayNode errorLines = root.putArray("errors");
    errors.forEach(e -> errorLines.add(clean(e)));
    root.put("started_at", TIME.format(startedAt));
    root.put("ended_at", TIME.format(endedAt));
    if (runner == null) {
      root.putNull("runner");
    } else {
      ObjectNode r = root.putObject("runner");
      r.put("name", runner.name());
      r.put("embedded", runner.embedded());
      r.put("flink_master", runner.flinkMaster() == null ? null : clean(runner.flinkMaster()));
      r.put("chosen_by", runner.chosenBy().name());
    }
    ObjectNode inputs = root.putObject("inputs");
    ArrayNode given = inputs.putArray("given");
    inputsGiven.forEach(p -> given.add(clean(p)));
    inputs.put("files", files);
    inputs.put("stdin_interrupted", stdinInterrupted);
    ObjectNode output = root.putObject("output");
    output.put("location", outputLocation == null ? null : clean(outputLocation));
    output.put("written", outputWritten);
    output.put("partial", outputWritten && outputPartial);
    if (counters == null) {
      root.putNull("counters");
    } else {
      ObjectNode c = root.putObject("counters");
      countersByName(counters).forEach(c::put);
    }
    renderInputsWithErrors(root.putArray("inputs_with_errors"));
    return root.toPrettyString() + "\n";
  }

  /**
   * The run report's counters by their JSON names: RunReport's accessor names in snake_case, in the
   * order stderr prints them. Named here one by one rather than derived, so that renaming a Java
   * method cannot rename a field that monitors read.
   */
  static Map<String, Long> countersByName(RunReport r) {
    Map<String, Long> c = new LinkedHashMap<>();
    c.put("packets", r.packets());
    c.put("frame_bytes", r.frameBytes());
    c.put("corrupt_regions", r.corruptRegions());
    c.put("corrupt_bytes", r.corruptBytes());
    c.put("truncated_records", r.truncatedRecords());
    c.put("truncated_bytes", r.truncatedBytes());
    c.put("files_with_errors", r.filesWithErrors());
    c.put("dns_malformed", r.dnsMalformed());
    c.put("responses_without_query", r.responsesWithoutQuery());
    c.put("unsupported_link_type_frames", r.unsupportedLinkTypeFrames());
    c.put("not_ip_frames", r.notIpFrames());
    c.put("no_transport_header_frames", r.noTransportHeaderFrames());
    c.put("malformed_frames", r.malformedFrames());
    c.put("fragments_skipped", r.fragmentsSkipped());
    c.put("tcp_dns_messages_lost", r.tcpDnsMessagesLost());
    c.put("late_packets", r.latePackets());
    return c;
  }

  /**
   * One entry per input with errors: the patterns that gave no file (in the order given), then the
   * files with read errors (in the order stderr lists them: by file, then offset).
   */
  private void renderInputsWithErrors(ArrayNode list) {
    Map<String, ObjectNode> byInput = new LinkedHashMap<>();
    for (InputFiles.Problem problem : inputProblems) {
      ObjectNode input = entry(byInput, list, clean(problem.pattern()));
      input.put("file_level", true);
      addError(input, problem.kind().name(), null, null, clean("cannot read " + problem.line()));
    }
    for (SnoopReadError error : readErrors) {
      ObjectNode input = entry(byInput, list, clean(error.file()));
      input.put("file_level", input.get("file_level").asBoolean() || error.isFileLevel());
      addError(input, error.kind().name(), error.offset(), error.bytes(), clean(error.message()));
    }
  }

  private static ObjectNode entry(Map<String, ObjectNode> byInput, ArrayNode list, String name) {
    return byInput.computeIfAbsent(
        name,
        n -> {
          ObjectNode input = list.addObject();
          input.put("input", n);
          input.put("file_level", false);
          input.putObject("error_counts");
          input.putArray("errors");
          return input;
        });
  }

  private static void addError(
      ObjectNode input, String kind, Long offset, Long bytes, String message) {
    ObjectNode counts = (ObjectNode) input.get("error_counts");
    counts.put(kind, counts.path(kind).asLong(0) + 1);
    ObjectNode error = ((ArrayNode) input.get("errors")).addObject();
    error.put("kind", kind);
    error.put("offset", offset);
    error.put("bytes", bytes);
    error.put("message", message);
  }

  private String clean(String text) {
    return sanitizer.apply(text);
  }

  /** {@code text} as stderr and the document show it. */
  synchronized String sanitize(String text) {
    return clean(text);
  }
}
