package dev.connbal.pipeline;

import dev.connbal.snoop.SnoopIO;
import dev.connbal.snoop.SnoopReadError;
import dev.connbal.snoop.StopReading;
import dev.connbal.snoop.WatchCaptures;
import dev.connbal.transforms.ConnBal;
import dev.connbal.transforms.output.Documents;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.StreamingOptions;
import org.joda.time.Duration;

/**
 * The connbal command: parses the command line, matches the inputs (or spools stdin), runs the
 * pipeline on the chosen runner, and prints the TSV on stdout and the run report and read errors on
 * stderr. Returns the exit code instead of exiting, so that tests and other programs can run it;
 * {@link ConnBalMain} is the thin process entry point.
 *
 * <p>Every line written to stderr names what it is about and passes through {@link SecretRedactor};
 * no stack trace is printed.
 *
 * <p>With {@code --run-report=PATH}, every run whose command line gave that path ends by writing a
 * JSON document there ({@link RunSummary}, {@link RunReportFile}): also a run that failed, with the
 * same exit status the command returns and the {@link ExitKind} that explains it, so that a
 * scheduler need not parse stderr. Only {@code --help}, which runs nothing, writes none. The
 * pipeline runs on a thread of its own while this one waits for it or for a stop signal, so that a
 * SIGINT or SIGTERM during the run still ends with the report written.
 */
public final class ConnBalCommand {
  public static final int EXIT_OK = 0;
  public static final int EXIT_USAGE = 1;

  /** An input could not be read (the rest was analyzed), or the run failed. */
  public static final int EXIT_INPUT_ERROR = 2;

  /** The run succeeded but its {@code --run-report} file could not be written. */
  public static final int EXIT_REPORT_NOT_WRITTEN = 3;

  /** A stop signal ends a run with this plus the signal's number: 130 SIGINT, 143 SIGTERM. */
  public static final int EXIT_SIGNAL_BASE = 128;

  private static final String STDIN_NAME = "<stdin>";

  /** How long an interrupt waits for a cluster job to appear (its jars upload) and to end. */
  private static final java.time.Duration CANCEL_TIMEOUT = java.time.Duration.ofMinutes(2);

  private final InterruptHook interrupts;
  private final boolean liveProgress;

  /**
   * Whether an interrupt now stops the reading instead of the run: the pipeline runs in this JVM
   * (Direct or embedded Flink), where {@link StopReading} reaches its reads.
   */
  private volatile boolean interruptStopsReading;

  /** The interrupt that stopped the reading, once one did: the run's output is then partial. */
  private final AtomicReference<String> readingStoppedBy = new AtomicReference<>();

  /** The exit status of the interrupt that stopped the reading. */
  private volatile int readingStoppedStatus;

  /** The job the run has submitted to a Flink cluster while it runs there; else null. */
  private volatile ClusterJob clusterJob;

  /** Whether an interrupt is cancelling {@link #clusterJob}: the run then fails as cancelled. */
  private final AtomicBoolean cancellingClusterJob = new AtomicBoolean();

  /** Whether the run's thread has ended: a job not submitted by then will not be. */
  private volatile boolean runEnded;

  ConnBalCommand(InterruptHook interrupts, boolean liveProgress) {
    this.interrupts = interrupts;
    this.liveProgress = liveProgress;
  }

  /**
   * Runs connbal with {@code args} as on the command line.
   *
   * @param stdin the snoop stream read when no {@code -f} is given
   * @param out receives the TSV (unless {@code -o}) and {@code --help}
   * @param err receives the run report, read errors and messages
   * @return {@link #EXIT_OK}, {@link #EXIT_USAGE}, {@link #EXIT_INPUT_ERROR} or {@link
   *     #EXIT_REPORT_NOT_WRITTEN}
   */
  public static int run(String[] args, InputStream stdin, PrintStream out, PrintStream err) {
    return new ConnBalCommand(InterruptHook.none(), false).execute(args, stdin, out, err);
  }

  int execute(String[] args, InputStream stdin, PrintStream out, PrintStream err) {
    Instant started = Instant.now();
    CommandLine commandLine;
    try {
      commandLine = CommandLine.parse(args);
    } catch (UsageException e) {
      SecretRedactor redactor = SecretRedactor.forArgs(List.of(args));
      String message = redactor.redact(e.getMessage());
      if (e.parsed().isEmpty()) {
        printUsageError(err, message);
        return EXIT_USAGE;
      }
      Invocation invocation = new Invocation(e.parsed().get(), redactor, started, err);
      invocation.usageError(message);
      return invocation.writeReport();
    }
    SecretRedactor redactor = SecretRedactor.forArgs(commandLine.pipelineArgs());
    if (commandLine.help()) {
      if (!Usage.print(out, commandLine.helpTopic())) {
        printUsageError(
            err, "no pipeline options named '" + commandLine.helpTopic().orElse("") + "'");
        return EXIT_USAGE;
      }
      return EXIT_OK;
    }
    return new Invocation(commandLine, redactor, started, err).execute(stdin, out);
  }

  /**
   * Everything after the command line parsed: Beam's options, the run, stop signals and the run
   * report. A stop signal is taken from here on, and not only once the pipeline runs, because
   * Beam's options take a noticeable time to parse: a scheduler that stops the job then still gets
   * its report.
   */
  private final class Invocation {
    private final CommandLine commandLine;
    private final SecretRedactor redactor;
    private final RunSummary summary;
    private final PrintStream err;
    private final AtomicReference<String> stopSignal = new AtomicReference<>();

    /** Set on the invoking thread only, like {@link #fileSystemsReady}. */
    private ConnBalOptions options;

    private boolean fileSystemsReady;

    /** No file system takes the report's path: there is nothing to write it to. */
    private boolean reportPathUnusable;

    Invocation(CommandLine commandLine, SecretRedactor redactor, Instant started, PrintStream err) {
      this.commandLine = commandLine;
      this.redactor = redactor;
      this.summary = new RunSummary(started, redactor::redact);
      this.err = err;
      summary.inputsGiven(givenInputs(commandLine));
    }

    /**
     * Parses the options and runs the pipeline on a thread of its own, waiting until it ends or a
     * stop signal arrives, whichever comes first; then writes the report. After a stop, the run's
     * thread is left to the process's exit ({@link ConnBalMain} exits with the signal's status):
     * the pipeline APIs offer no way to cancel a run whose {@code run()} has not returned.
     */
    int execute(InputStream stdin, PrintStream out) {
      try (AutoCloseable stops = interrupts.onStop(this::stopped)) {
        start(stdin, out);
        summary.awaitFinish();
      } catch (Exception e) {
        // Only closing the hook throws: restoring the JVM's signal handlers failed.
        error("cannot restore the signal handlers: " + OneLine.of(e));
      }
      // A stop that only ended the reading lets the run finish; the run then says so itself.
      if (summary.kind() == ExitKind.INTERRUPTED && stopSignal.get() != null) {
        error("interrupted by " + stopSignal.get() + " before the run finished");
      }
      return writeReport();
    }

    private void stopped(String signal, int exitStatus) {
      // SEMANTICS.md: a local run's first interrupt stops the reading and the run goes on to its
      // output; a cluster run's first interrupt cancels its job there, and the invocation ends
      // once the cluster says it has ended; a second one, or SIGTERM, ends the invocation now.
      ClusterJob job = clusterJob;
      if ("SIGINT".equals(signal)
          && job != null
          && cancellingClusterJob.compareAndSet(false, true)) {
        readingStoppedStatus = exitStatus;
        err.println(
            "connbal: "
                + signal
                + ": cancelling the job "
                + job.name()
                + " on the cluster "
                + job.cluster()
                + " (interrupt again to end at once)");
        Thread cancel = new Thread(() -> cancel(job, signal, exitStatus), "connbal-cancel");
        cancel.setDaemon(true);
        cancel.start();
        return;
      }
      if ("SIGINT".equals(signal)
          && interruptStopsReading
          && readingStoppedBy.compareAndSet(null, signal)) {
        readingStoppedStatus = exitStatus;
        StopReading.request();
        err.println(
            "connbal: "
                + signal
                + ": reading stops here; what was read is analyzed and printed (interrupt again to"
                + " end at once)");
        return;
      }
      stopSignal.compareAndSet(null, signal);
      summary.finish(ExitKind.INTERRUPTED, exitStatus, Instant.now());
    }

    /** Cancels the cluster's job, says how that went, and ends the invocation as interrupted. */
    private void cancel(ClusterJob job, String signal, int exitStatus) {
      try {
        ClusterJob.Cancelled cancelled = job.cancel(CANCEL_TIMEOUT, () -> runEnded);
        err.println(
            "connbal: the job "
                + cancelled.jobId()
                + " on the cluster "
                + job.cluster()
                + " is "
                + cancelled.state());
      } catch (IOException e) {
        error("cannot cancel the job " + job.name() + ", it may still run: " + OneLine.of(e));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      stopSignal.compareAndSet(null, signal);
      summary.finish(ExitKind.INTERRUPTED, exitStatus, Instant.now());
    }

    /** Starts the run, unless the options are wrong or a stop came first. */
    private void start(InputStream stdin, PrintStream out) {
      ConnBalOptions parsed;
      try {
        registerOptions();
        parsed =
            PipelineOptionsFactory.fromArgs(commandLine.pipelineArgs().toArray(new String[0]))
                .as(ConnBalOptions.class);
      } catch (IllegalArgumentException e) {
        usageError(redactor.redact(OneLine.of(e)));
        return;
      }
      commandLine.applyTo(parsed);
      options = parsed;
      if (options.getSplitSize() < SnoopIO.MIN_DESIRED_SPLIT_SIZE) {
        usageError("--splitSize must be at least " + SnoopIO.MIN_DESIRED_SPLIT_SIZE + " bytes");
        return;
      }
      try {
        prepareFileSystems(options, commandLine);
        fileSystemsReady = true;
      } catch (RuntimeException e) {
        error("the run failed: " + OneLine.of(e));
        summary.finish(ExitKind.RUN_FAILED, ExitKind.RUN_FAILED.exitStatus(), Instant.now());
        return;
      }
      if (commandLine.runReport().isPresent()) {
        try {
          RunReportFile.resolve(commandLine.runReport().get());
        } catch (IllegalArgumentException e) {
          reportPathUnusable = true;
          usageError(redactor.redact("--run-report: " + OneLine.of(e)));
          return;
        }
      }
      if (summary.kind() != null) {
        return; // stopped while the options were parsed
      }
      Run run = new Run(options, commandLine, redactor, summary, stdin, out, err);
      Thread worker =
          new Thread(
              () -> {
                ExitKind kind = run.execute();
                if (!cancellingClusterJob.get()) {
                  // Else the interrupt's cancellation ends the invocation, once the job has ended.
                  summary.finish(kind, exitStatus(kind), Instant.now());
                }
              },
              "connbal-run");
      worker.setDaemon(true);
      worker.start();
    }

    /** The status of a run that ended as {@code kind}: a stopped reading's is its signal's. */
    private int exitStatus(ExitKind kind) {
      return kind == ExitKind.INTERRUPTED ? readingStoppedStatus : kind.exitStatus();
    }

    /** Prints a usage error, and ends the invocation with it. */
    void usageError(String message) {
      printUsageError(err, message);
      summary.error(message);
      summary.finish(ExitKind.USAGE_ERROR, EXIT_USAGE, Instant.now());
    }

    private void error(String message) {
      err.println("connbal: " + summary.sanitize(message));
      summary.error(message);
    }

    /**
     * Writes the report to the {@code --run-report} path, if given, and says on stderr where it
     * went or why it could not.
     *
     * @return the invocation's exit status, or {@link #EXIT_REPORT_NOT_WRITTEN} when the run
     *     succeeded and its report could not be written (a failed run keeps its own status)
     */
    int writeReport() {
      int status = summary.exitStatus();
      Optional<String> path = commandLine.runReport();
      if (path.isEmpty() || reportPathUnusable) {
        return status;
      }
      if (!fileSystemsReady) {
        try {
          prepareFileSystems(
              options != null ? options : bestEffortOptions(commandLine), commandLine);
        } catch (RuntimeException e) {
          // Then writing fails too, and says why.
        }
      }
      try {
        ResourceId file = RunReportFile.resolve(path.get());
        RunReportFile.write(file, summary.toJson());
        err.println("connbal: wrote run report " + redactor.redact(file.toString()));
        return status;
      } catch (IOException | RuntimeException e) {
        err.println(
            "connbal: "
                + redactor.redact(
                    "cannot write the run report " + path.get() + ": " + OneLine.of(e))
                + " ["
                + ExitKind.REPORT_NOT_WRITTEN
                + "]");
        return status == EXIT_OK ? ExitKind.REPORT_NOT_WRITTEN.exitStatus() : status;
      }
    }
  }

  /** What the run reads: the {@code -f} patterns, or stdin. */
  private static List<String> givenInputs(CommandLine commandLine) {
    return commandLine.inputs().isEmpty() ? List.of(STDIN_NAME) : commandLine.inputs();
  }

  /**
   * Makes the file systems ready for every location of the run (inputs, output, temp location and
   * the run report): AWS's region, and the options, path-style S3 among them.
   */
  private static void prepareFileSystems(ConnBalOptions options, CommandLine commandLine) {
    List<String> locations = new ArrayList<>();
    if (options.getInputs() != null) {
      locations.addAll(options.getInputs());
    }
    locations.add(options.getOutput());
    locations.add(options.getTempLocation());
    locations.add(commandLine.runReport().orElse(null));
    S3RegionDefault.apply(options, commandLine.pipelineArgs(), locations);
    configureFileSystems(options);
  }

  /**
   * Options for writing the report of a command line whose Beam options did not parse: those that
   * parse (unknown ones left out), or else the defaults, so that the report can still reach a local
   * path or S3 with the usual credentials.
   */
  private static ConnBalOptions bestEffortOptions(CommandLine commandLine) {
    registerOptions();
    String[] args = commandLine.pipelineArgs().toArray(new String[0]);
    ConnBalOptions options;
    try {
      options =
          PipelineOptionsFactory.fromArgs(args).withoutStrictParsing().as(ConnBalOptions.class);
    } catch (IllegalArgumentException e) {
      options = PipelineOptionsFactory.as(ConnBalOptions.class);
    }
    commandLine.applyTo(options);
    return options;
  }

  /**
   * Registers the options interfaces whose flags connbal accepts beyond those the runners'
   * registrars bring: its own, and S3Options (Beam's aws2 registrar registers only AwsOptions, so
   * {@code --s3ClientFactoryClass} would otherwise be rejected).
   */
  static void registerOptions() {
    PipelineOptionsFactory.register(ConnBalOptions.class);
    PipelineOptionsFactory.register(S3Options.class);
  }

  private static void printUsageError(PrintStream err, String message) {
    err.println("connbal: " + message);
    err.println("Try 'connbal --help' for more information.");
  }

  /**
   * One run of the pipeline, with the temporary files it owns until it ends. It runs on its own
   * thread, and records in the run's {@link RunSummary} what the report tells.
   */
  private final class Run {
    private final ConnBalOptions options;
    private final CommandLine commandLine;
    private final SecretRedactor redactor;
    private final RunSummary summary;
    private final InputStream stdin;
    private final PrintStream out;
    private final PrintStream err;

    /** Read by {@link #sanitize} on other threads too (the report's, a stop's). */
    private volatile Path spool;

    /** Stdin cut into parts as it arrives, for a windowed run over it; else null. */
    private LiveStdin liveStdin;

    private Path localTemp;
    private Path flinkConfDir;
    private ResultReader results;

    /** An embedded Flink's REST port, when connbal gave it one; else 0. */
    private int embeddedRestPort;

    /** Ends a watch's job on Flink with checkpointing once the watch has ended; else null. */
    private WatchDrain drain;

    Run(
        ConnBalOptions options,
        CommandLine commandLine,
        SecretRedactor redactor,
        RunSummary summary,
        InputStream stdin,
        PrintStream out,
        PrintStream err) {
      this.options = options;
      this.commandLine = commandLine;
      this.redactor = redactor;
      this.summary = summary;
      this.stdin = stdin;
      this.out = out;
      this.err = err;
      summary.sanitizeWith(this::sanitize);
    }

    /**
     * Runs the pipeline and prints its results.
     *
     * @return {@link ExitKind#OK}, {@link ExitKind#INPUT_ERROR} or {@link ExitKind#RUN_FAILED};
     *     never throws, not even for an Error, so that the waiting thread always learns the end
     */
    ExitKind execute() {
      StopReading.reset();
      runEnded = false;
      try {
        return analyze();
      } catch (IOException | RuntimeException | Error e) {
        if (cancellingClusterJob.get()) {
          return ExitKind.INTERRUPTED; // the job failed as it was cancelled
        }
        if (notDrained()) {
          return ExitKind.NOT_DRAINED; // the drain said why, and cancelled the job
        }
        error("the run failed: " + OneLine.of(e));
        return ExitKind.RUN_FAILED;
      } finally {
        interruptStopsReading = false;
        clusterJob = null;
        runEnded = true;
        StopReading.reset();
        cleanUp();
      }
    }

    private ExitKind analyze() throws IOException {
      List<String> patterns = options.getInputs() == null ? List.of() : options.getInputs();
      boolean stdinInterrupted = false;
      WatchCaptures watch = options.getWatch() ? ConnBalPipeline.watch(options) : null;
      if (patterns.isEmpty() && options.getWindowMillis() != null) {
        // Windows of a live stream print as they complete: the run watches the stream's parts.
        spool = Files.createTempDirectory("connbal-stdin-");
        liveStdin =
            LiveStdin.start(stdin, spool, Duration.millis(options.getWindowMillis()), interrupts);
        watch = liveStdin.watch();
      } else if (patterns.isEmpty()) {
        spool = Files.createTempFile("connbal-stdin-", ".snoop");
        stdinInterrupted = StdinSpool.spool(stdin, spool, interrupts).interrupted();
        if (stdinInterrupted) {
          summary.stdinInterrupted();
        }
        patterns = List.of(spool.toString());
      }
      // A watch takes the captures as they come; what matches now is only its first poll's.
      InputFiles inputs = watch != null ? InputFiles.none() : InputFiles.match(patterns);
      if (watch != null) {
        options.as(StreamingOptions.class).setStreaming(true);
        // The Direct runner's run() otherwise returns only at the end: windows print as they come.
        options.as(DirectOptions.class).setBlockOnRun(false);
      }
      for (InputFiles.Problem problem : inputs.problems()) {
        error("cannot read " + problem.line());
        summary.inputProblem(problem);
      }
      summary.files(inputs.files().size());
      long ranges = inputs.ranges(options.getSplitSize());
      boolean chosenForSize =
          RunnerDefaults.apply(
              options,
              commandLine.pipelineArgs(),
              liveProgress,
              commandLine.splitSize().isPresent()
                  || RunnerDefaults.given(commandLine.pipelineArgs(), "splitSize"),
              inputs.recordRegionBytes(),
              ranges);
      summary.runner(runnerUsed(chosenForSize));
      if (chosenForSize) {
        err.println(
            "connbal: "
                + ProgressLine.size(inputs.recordRegionBytes())
                + " of captures in "
                + ranges
                + " byte ranges: running on embedded Flink (--runner=DirectRunner to override)");
      }
      if (EmbeddedFlinkConfig.appliesTo(options, commandLine.pipelineArgs(), System.getenv())) {
        flinkConfDir = Files.createTempDirectory("connbal-flink-conf-");
        if (watch != null && WatchDrain.needed(options)) {
          embeddedRestPort = EmbeddedFlinkConfig.freeLoopbackPort();
        }
        EmbeddedFlinkConfig.apply(options, flinkConfDir, embeddedRestPort);
      }

      ResourceId resultDirectory = resultDirectory();
      ResultLocations where =
          options.getOutput() == null
              ? ResultLocations.in(resultDirectory)
              : ResultLocations.in(
                  resultDirectory, outputFile(options.getOutput(), options.getFormat()));
      WindowPrinter windows = null;
      if (options.getWindowMillis() != null) {
        String suffix = "." + options.getFormat().extension();
        where =
            where.withWindows(
                options.getOutput() == null
                    ? WindowFiles.in(resultDirectory, suffix)
                    : WindowFiles.of(options.getOutput(), suffix));
        if (!where.rowsAreOutput()) {
          windows =
              new WindowPrinter(
                  where.windowFiles(),
                  out,
                  err,
                  options.getHeader() ? Documents.WINDOWED_TSV_HEADER : "",
                  options.getFormat() == OutputFormat.CSV);
        }
      }
      summary.outputLocation(
          !where.rowsAreOutput()
              ? RunSummary.STDOUT
              : where.windowFiles() != null
                  ? where.windowFiles().pattern()
                  : where.rows().toString());
      Pipeline pipeline = Pipeline.create(options);
      results = ConnBalPipeline.build(pipeline, options, inputs.files(), watch, where);

      interruptStopsReading = runsInThisJvm();
      clusterJob = interruptStopsReading ? null : clusterJob();
      if (watch != null) {
        drain = watchDrain(where);
      }
      PipelineResult run = pipeline.run();
      clusterJob = null;
      PipelineResult.State state;
      if (watch != null) {
        state = watchUntilFinish(run, windows);
      } else {
        state =
            liveProgress
                ? new ProgressLine(
                        err,
                        inputs.recordRegionBytes(),
                        ConnBal.readPasses(options.getAllStreams()))
                    .waitUntilFinish(run)
                : run.waitUntilFinish();
      }
      if (windows != null) {
        windows.printNew();
      }
      if (state != PipelineResult.State.DONE) {
        if (notDrained()) {
          return ExitKind.NOT_DRAINED;
        }
        error("the run ended in state " + state + " without results");
        return ExitKind.RUN_FAILED;
      }
      if (liveStdin != null && liveStdin.awaitEnd().interrupted()) {
        stdinInterrupted = true;
        summary.stdinInterrupted();
      }

      ResultReader.Results result = results.read();
      boolean inputFailed = !inputs.problems().isEmpty();
      for (SnoopReadError readError : result.readErrors()) {
        error(readError.message());
        summary.readError(readError);
        inputFailed |= readError.isFileLevel();
      }
      summary.counters(result.report());
      if (result.document().isPresent()) {
        out.print(result.document().get());
        out.flush();
      } else if (windows != null) {
        // Printed as they came.
      } else if (where.windowFiles() != null) {
        err.println(
            "connbal: wrote "
                + where.windowFiles().written().size()
                + " window files "
                + redactor.redact(where.windowFiles().pattern()));
        if (options.getSummary()) {
          WindowFiles summaries = WindowFiles.summariesOf(options.getOutput());
          err.println(
              "connbal: wrote "
                  + summaries.written().size()
                  + " window summary files "
                  + redactor.redact(summaries.pattern()));
        }
      } else if (options.getFormat() == OutputFormat.PARQUET) {
        for (ResourceId file : WriteParquet.to(options.getOutput()).files()) {
          err.println("connbal: wrote " + redactor.redact(file.toString()));
        }
      } else {
        err.println("connbal: wrote " + redactor.redact(where.rows().toString()));
      }
      for (ResourceId file : ConnBalPipeline.summaryFiles(options)) {
        err.println("connbal: wrote " + redactor.redact(file.toString()));
      }
      summary.outputWritten(inputFailed || stdinInterrupted);
      String report = result.report().format();
      err.print(report.endsWith("\n") || report.isEmpty() ? report : report + "\n");
      err.flush();
      String interrupt = readingStoppedBy.get();
      if (interrupt != null) {
        summary.outputWritten(true);
        error(
            "interrupted by "
                + interrupt
                + ": the output covers only what was read before it (partial)");
        return ExitKind.INTERRUPTED;
      }
      return inputFailed ? ExitKind.INPUT_ERROR : ExitKind.OK;
    }

    /**
     * Stops a watch's job with drain once the watch has ended, where Beam's Flink runner keeps it
     * running (checkpointing): on a cluster through {@code --flinkMaster}, on an embedded Flink
     * through the REST port connbal gave it. Null when the job ends by itself, or when an embedded
     * Flink has the user's configuration, whose REST port connbal does not know.
     */
    private WatchDrain watchDrain(ResultLocations where) {
      if (!WatchDrain.needed(options)) {
        return null;
      }
      FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
      String rest;
      if (!EmbeddedFlinkConfig.isEmbedded(flink)) {
        rest = flink.getFlinkMaster();
      } else if (embeddedRestPort > 0) {
        rest = "127.0.0.1:" + embeddedRestPort;
      } else {
        return null;
      }
      return WatchDrain.start(
          ClusterJob.of(rest, options.getJobName()),
          where.directory().resolve("savepoint", StandardResolveOptions.RESOLVE_DIRECTORY),
          err,
          this::error,
          cancellingClusterJob::get);
    }

    /** Whether a drain failed: it has said why and cancelled the job. */
    private boolean notDrained() {
      WatchDrain watchDrain = drain;
      return watchDrain != null && watchDrain.failed();
    }

    /**
     * The job this run submits to a Flink cluster, by the name Beam gives it there ({@code
     * --jobName}, by default one unique to the run); null on other runners.
     */
    private ClusterJob clusterJob() {
      if (!FlinkRunner.class.equals(options.getRunner())) {
        return null;
      }
      return ClusterJob.of(
          options.as(FlinkPipelineOptions.class).getFlinkMaster(), options.getJobName());
    }

    /** Whether the pipeline runs in this JVM: the Direct runner or an embedded Flink. */
    private boolean runsInThisJvm() {
      Class<?> runner = options.getRunner();
      return DirectRunner.class.equals(runner)
          || (FlinkRunner.class.equals(runner)
              && EmbeddedFlinkConfig.isEmbedded(options.as(FlinkPipelineOptions.class)));
    }

    /**
     * Waits for a watching run to end (its time without new captures ran out, or an interrupt ended
     * the watch), printing each window as it is written when the rows go to stdout.
     */
    private PipelineResult.State watchUntilFinish(PipelineResult run, WindowPrinter windows)
        throws IOException {
      while (true) {
        PipelineResult.State state = run.waitUntilFinish(Duration.millis(500));
        if (windows != null) {
          windows.printNew();
        }
        if (state != null && state.isTerminal()) {
          return state;
        }
      }
    }

    /**
     * The runner the run uses, and why: {@link RunnerDefaults} has applied its choice to the
     * options.
     */
    private RunSummary.Runner runnerUsed(boolean chosenForSize) {
      RunSummary.RunnerChoice choice =
          chosenForSize
              ? RunSummary.RunnerChoice.INPUT_SIZE
              : RunnerDefaults.given(commandLine.pipelineArgs(), "runner")
                  ? RunSummary.RunnerChoice.COMMAND_LINE
                  : RunSummary.RunnerChoice.DEFAULT;
      Class<?> runner = options.getRunner();
      if (FlinkRunner.class.equals(runner)) {
        FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
        boolean embedded = EmbeddedFlinkConfig.isEmbedded(flink);
        return new RunSummary.Runner(
            runner.getSimpleName(), embedded, embedded ? null : flink.getFlinkMaster(), choice);
      }
      return new RunSummary.Runner(
          runner.getSimpleName(), DirectRunner.class.equals(runner), null, choice);
    }

    /** Where this run's result files go: a fresh directory under the temp location. */
    private ResourceId resultDirectory() throws IOException {
      if (options.getTempLocation() == null) {
        localTemp = Files.createTempDirectory("connbal-");
        options.setTempLocation(localTemp.toString());
      }
      return FileSystems.matchNewResource(options.getTempLocation(), true)
          .resolve("connbal-" + UUID.randomUUID(), StandardResolveOptions.RESOLVE_DIRECTORY);
    }

    /** Prints an error line on stderr and keeps it for the run report. */
    private void error(String message) {
      err.println("connbal: " + sanitize(message));
      summary.error(message);
    }

    /** Text as connbal shows it: the spool's path named {@code <stdin>}, secrets masked. */
    private String sanitize(String message) {
      Path spooled = spool;
      String text = spooled == null ? message : message.replace(spooled.toString(), STDIN_NAME);
      return redactor.redact(text);
    }

    private void cleanUp() {
      List<String> failures = new ArrayList<>();
      if (drain != null) {
        try {
          drain.close(); // deletes its savepoint before the result directory goes
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (liveStdin != null) {
        try {
          liveStdin.close();
        } catch (Exception e) {
          failures.add("stdin: " + OneLine.of(e));
        }
      }
      if (results != null) {
        try {
          results.deleteTemporaryFiles();
        } catch (IOException | RuntimeException e) {
          failures.add(OneLine.of(e));
        }
      }
      for (Path path : new Path[] {spool, localTemp, flinkConfDir}) {
        if (path != null) {
          try {
            deleteRecursively(path);
          } catch (IOException | UncheckedIOException e) {
            failures.add(path + ": " + OneLine.of(e));
          }
        }
      }
      for (String failure : failures) {
        error("cannot delete temporary files: " + failure);
      }
    }
  }

  /**
   * Makes the file systems (S3 among them) use {@code options}, with the path-style S3 client when
   * {@code --s3-path-style} asks for it.
   */
  static void configureFileSystems(ConnBalOptions options) {
    if (options.getS3PathStyle()) {
      options.as(S3Options.class).setS3ClientFactoryClass(PathStyleS3ClientBuilderFactory.class);
    }
    FileSystems.setDefaultPipelineOptions(options);
  }

  /**
   * Where {@code -o PREFIX} writes the rows in {@code format}: {@code PREFIX.tsv} (.csv, .jsonl),
   * or {@code connbal.tsv} (...) inside PREFIX when it ends with a slash or names an existing local
   * directory. For Parquet, the prefix of the files ({@code PREFIX*.parquet}, or {@code
   * connbal*.parquet} inside the directory).
   */
  static ResourceId outputFile(String prefix, OutputFormat format) {
    return OutputPrefix.resolve(prefix, format.isDocument() ? "." + format.extension() : "");
  }

  /** Deletes {@code root} and everything in it, if it exists. */
  static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            Files.delete(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
