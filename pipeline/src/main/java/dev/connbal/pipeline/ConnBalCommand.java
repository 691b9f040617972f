package dev.connbal.pipeline;

import dev.connbal.transforms.ConnBal;
import dev.connbal.snoop.SnoopReadError;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * The connbal command: parses the command line, matches the inputs (or spools stdin), runs the
 * pipeline on the chosen runner, and prints the TSV on stdout and the run report and read errors
 * on stderr. Returns the exit code instead of exiting, so that tests and other programs can run
 * it; {@link ConnBalMain} is the thin process entry point.
 *
 * <p>Every line written to stderr names what it is about and passes through {@link
 * SecretRedactor}; no stack trace is printed.
 */
public final class ConnBalCommand {
  public static final int EXIT_OK = 0;
  public static final int EXIT_USAGE = 1;
  public static final int EXIT_INPUT_ERROR = 2;

  private static final String STDIN_NAME = "<stdin>";

  private final InterruptHook interrupts;
  private final boolean liveProgress;

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
   * @return {@link #EXIT_OK}, {@link #EXIT_USAGE} or {@link #EXIT_INPUT_ERROR}
   */
  public static int run(String[] args, InputStream stdin, PrintStream out, PrintStream err) {
    return new ConnBalCommand(InterruptHook.none(), false).execute(args, stdin, out, err);
  }

  int execute(String[] args, InputStream stdin, PrintStream out, PrintStream err) {
    CommandLine commandLine;
    try {
      commandLine = CommandLine.parse(args);
    } catch (UsageException e) {
      return usageError(err, SecretRedactor.forArgs(List.of(args)).redact(e.getMessage()));
    }
    SecretRedactor redactor = SecretRedactor.forArgs(commandLine.pipelineArgs());
    if (commandLine.help()) {
      if (!Usage.print(out, commandLine.helpTopic())) {
        return usageError(
            err, "no pipeline options named '" + commandLine.helpTopic().orElse("") + "'");
      }
      return EXIT_OK;
    }
    ConnBalOptions options;
    try {
      registerOptions();
      options =
          PipelineOptionsFactory.fromArgs(commandLine.pipelineArgs().toArray(new String[0]))
              .as(ConnBalOptions.class);
    } catch (IllegalArgumentException e) {
      return usageError(err, redactor.redact(OneLine.of(e)));
    }
    commandLine.applyTo(options);
    if (options.getSplitSize() < CommandLine.MIN_SPLIT_SIZE) {
      return usageError(
          err, "--splitSize must be at least " + CommandLine.MIN_SPLIT_SIZE + " bytes");
    }
    return new Run(options, commandLine, redactor, stdin, out, err).execute();
  }

  /**
   * Registers the options interfaces whose flags connbal accepts beyond those the runners'
   * registrars bring: its own, and S3Options (Beam's aws2 registrar registers only AwsOptions,
   * so {@code --s3ClientFactoryClass} would otherwise be rejected).
   */
  static void registerOptions() {
    PipelineOptionsFactory.register(ConnBalOptions.class);
    PipelineOptionsFactory.register(S3Options.class);
  }

  private static int usageError(PrintStream err, String message) {
    err.println("connbal: " + message);
    err.println("Try 'connbal --help' for more information.");
    return EXIT_USAGE;
  }

  /** One run of the pipeline, with the temporary files it owns until it ends. */
  private final class Run {
    private final ConnBalOptions options;
    private final CommandLine commandLine;
    private final SecretRedactor redactor;
    private final InputStream stdin;
    private final PrintStream out;
    private final PrintStream err;
    private Path spool;
    private Path localTemp;
    private Path flinkConfDir;
    private ResultReader results;

    Run(
        ConnBalOptions options,
        CommandLine commandLine,
        SecretRedactor redactor,
        InputStream stdin,
        PrintStream out,
        PrintStream err) {
      this.options = options;
      this.commandLine = commandLine;
      this.redactor = redactor;
      this.stdin = stdin;
      this.out = out;
      this.err = err;
    }

    int execute() {
      try {
        return analyze();
      } catch (IOException | RuntimeException e) {
        error("the run failed: " + OneLine.of(e));
        return EXIT_INPUT_ERROR;
      } finally {
        cleanUp();
      }
    }

    private int analyze() throws IOException {
      List<String> patterns = options.getInputs() == null ? List.of() : options.getInputs();
      List<String> locations = new ArrayList<>(patterns);
      locations.add(options.getOutput());
      locations.add(options.getTempLocation());
      S3RegionDefault.apply(options, commandLine.pipelineArgs(), locations);
      configureFileSystems(options);

      if (patterns.isEmpty()) {
        spool = Files.createTempFile("connbal-stdin-", ".snoop");
        StdinSpool.spool(stdin, spool, interrupts);
        patterns = List.of(spool.toString());
      }
      InputFiles inputs = InputFiles.match(patterns);
      for (String problem : inputs.problems()) {
        error("cannot read " + problem);
      }
      long ranges = inputs.ranges(options.getSplitSize());
      if (RunnerDefaults.apply(
          options,
          commandLine.pipelineArgs(),
          liveProgress,
          inputs.recordRegionBytes(),
          ranges)) {
        err.println(
            "connbal: "
                + ProgressLine.size(inputs.recordRegionBytes())
                + " of captures in "
                + ranges
                + " byte ranges: running on embedded Flink (--runner=DirectRunner to override)");
      }
      if (EmbeddedFlinkConfig.appliesTo(options, commandLine.pipelineArgs(), System.getenv())) {
        flinkConfDir = Files.createTempDirectory("connbal-flink-conf-");
        EmbeddedFlinkConfig.apply(options, flinkConfDir);
      }

      ResourceId resultDirectory = resultDirectory();
      ResultLocations where =
          options.getOutput() == null
              ? ResultLocations.in(resultDirectory)
              : ResultLocations.in(resultDirectory, outputFile(options.getOutput()));
      Pipeline pipeline = Pipeline.create(options);
      results = ConnBalPipeline.build(pipeline, options, inputs.files(), where);

      PipelineResult run = pipeline.run();
      PipelineResult.State state =
          liveProgress
              ? new ProgressLine(
                      err,
                      inputs.recordRegionBytes(),
                      ConnBal.readPasses(options.getAllStreams()))
                  .waitUntilFinish(run)
              : run.waitUntilFinish();
      if (state != PipelineResult.State.DONE) {
        error("the run ended in state " + state + " without results");
        return EXIT_INPUT_ERROR;
      }

      ResultReader.Results result = results.read();
      boolean inputFailed = !inputs.problems().isEmpty();
      for (SnoopReadError readError : result.readErrors()) {
        error(readError.message());
        inputFailed |= readError.isFileLevel();
      }
      if (result.tsv().isPresent()) {
        out.print(result.tsv().get());
        out.flush();
      } else {
        err.println("connbal: wrote " + redactor.redact(where.tsv().toString()));
      }
      String report = result.report().format();
      err.print(report.endsWith("\n") || report.isEmpty() ? report : report + "\n");
      err.flush();
      return inputFailed ? EXIT_INPUT_ERROR : EXIT_OK;
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

    private void error(String message) {
      String text = spool == null ? message : message.replace(spool.toString(), STDIN_NAME);
      err.println("connbal: " + redactor.redact(text));
    }

    private void cleanUp() {
      List<String> failures = new ArrayList<>();
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
   * Makes the file systems (S3 among them) use {@code options}, with the path-style S3 client
   * when {@code --s3-path-style} asks for it.
   */
  static void configureFileSystems(ConnBalOptions options) {
    if (options.getS3PathStyle()) {
      options.as(S3Options.class).setS3ClientFactoryClass(PathStyleS3ClientBuilderFactory.class);
    }
    FileSystems.setDefaultPipelineOptions(options);
  }

  /**
   * The file {@code -o PREFIX} writes: {@code PREFIX.tsv}, or {@code connbal.tsv} inside PREFIX
   * when it ends with a slash or names an existing local directory.
   */
  static ResourceId outputFile(String prefix) {
    boolean localDirectory = !prefix.contains("://") && Files.isDirectory(Path.of(prefix));
    if (prefix.endsWith("/") || localDirectory) {
      return FileSystems.matchNewResource(prefix, true)
          .resolve("connbal.tsv", StandardResolveOptions.RESOLVE_FILE);
    }
    return FileSystems.matchNewResource(prefix + ".tsv", false);
  }

  private static void deleteRecursively(Path root) throws IOException {
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
