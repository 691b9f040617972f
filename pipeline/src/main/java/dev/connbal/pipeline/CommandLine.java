package dev.connbal.pipeline;

import com.google.auto.value.AutoValue;
import dev.connbal.snoop.SnoopIO;
import dev.connbal.transforms.output.IpFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The parsed command line: connbal's own flags (those of the original C tool plus a few long ones),
 * and every other {@code --name=value} argument, which is a Beam pipeline option and passes through
 * untouched.
 *
 * <p>Short flags follow getopt: {@code -a} and {@code -h} take no value and may be bundled ({@code
 * -ah}); {@code -f}, {@code -F} and {@code -o} take the rest of the word or the next word. {@code
 * -f} values are kept out of Beam's option parser because it splits list values at commas, which
 * globs such as {@code {a,b}.snoop} contain.
 *
 * <p>A wrong argument does not end the walk: the rest of the line is still read, and the first
 * problem is thrown with what could be parsed ({@link UsageException#parsed()}), so that a usage
 * error can still be recorded in the {@code --run-report} file wherever that option stands.
 */
@AutoValue
abstract class CommandLine {
  abstract boolean help();

  /** The options interface named by {@code --help=NAME}, if any. */
  abstract Optional<String> helpTopic();

  // Unmodifiable: build() stores List.copyOf, the field's only source.
  @SuppressWarnings("AutoValueImmutableFields")
  abstract List<String> inputs();

  abstract boolean allStreams();

  abstract Optional<String> nameFilter();

  abstract Optional<String> output();

  abstract Optional<Long> splitSize();

  abstract Optional<IpFormat> ipFormat();

  abstract Optional<OutputFormat> format();

  abstract boolean header();

  abstract boolean s3PathStyle();

  /** {@code --window=DURATION}: rows per tumbling window of capture time. */
  abstract Optional<Duration> window();

  /** {@code --watch}: read the -f patterns' captures as they arrive. */
  abstract boolean watch();

  abstract Optional<Duration> pollInterval();

  abstract Optional<Duration> watchUntil();

  /** {@code --summary}: the balance summary, on stdout instead of the rows or beside -o's. */
  abstract boolean summary();

  /** {@code --report=FILE.html}: where the HTML balance report goes. */
  abstract Optional<String> report();

  /**
   * Where {@code --run-report=PATH} asks for the run's JSON report (any Beam FileSystem); a
   * driver-side setting, so it is not stored in the pipeline options.
   */
  abstract Optional<String> runReport();

  /** Arguments for Beam's {@code PipelineOptionsFactory}. */
  // Unmodifiable: build() stores List.copyOf, the field's only source.
  @SuppressWarnings("AutoValueImmutableFields")
  abstract List<String> pipelineArgs();

  /** Stores connbal's own settings in {@code options}; unset flags keep the options' values. */
  void applyTo(ConnBalOptions options) {
    if (!inputs().isEmpty()) {
      options.setInputs(inputs());
    }
    if (allStreams()) {
      options.setAllStreams(true);
    }
    nameFilter().ifPresent(options::setNameFilter);
    output().ifPresent(options::setOutput);
    splitSize().ifPresent(options::setSplitSize);
    ipFormat().ifPresent(options::setIpFormat);
    format().ifPresent(options::setFormat);
    if (header()) {
      options.setHeader(true);
    }
    if (s3PathStyle()) {
      options.setS3PathStyle(true);
    }
    window().ifPresent(w -> options.setWindowMillis(w.toMillis()));
    if (watch()) {
      options.setWatch(true);
    }
    pollInterval().ifPresent(d -> options.setPollIntervalMillis(d.toMillis()));
    watchUntil().ifPresent(d -> options.setWatchUntilMillis(d.toMillis()));
    if (summary()) {
      options.setSummary(true);
    }
    report().ifPresent(options::setReport);
  }

  static CommandLine parse(String... args) throws UsageException {
    Parser parser = new Parser(args);
    UsageException problem = parser.parseAll();
    if (problem == null) {
      problem = parser.combinationProblem();
    }
    if (problem != null) {
      throw new UsageException(problem.getMessage(), parser.build());
    }
    return parser.build();
  }

  /** Walks the arguments once; holds the state of that walk. */
  private static final class Parser {
    private final String[] args;
    private int next;
    private boolean help;
    private String helpTopic;
    private final List<String> inputs = new ArrayList<>();
    private boolean allStreams;
    private String nameFilter;
    private String output;
    private Long splitSize;
    private IpFormat ipFormat;
    private OutputFormat format;
    private boolean header;
    private boolean s3PathStyle;
    private boolean summary;
    private String report;
    private String runReport;
    private Duration window;
    private boolean watch;
    private Duration pollInterval;
    private Duration watchUntil;
    private final List<String> pipelineArgs = new ArrayList<>();

    Parser(String[] args) {
      this.args = args;
    }

    /** Parses every argument; returns the first problem, or null when there is none. */
    UsageException parseAll() {
      UsageException first = null;
      while (next < args.length) {
        try {
          parseOne(args[next++]);
        } catch (UsageException e) {
          if (first == null) {
            first = e;
          }
        }
      }
      return first;
    }

    private void parseOne(String arg) throws UsageException {
      if (arg.startsWith("--")) {
        parseLong(arg);
      } else if (arg.startsWith("-") && arg.length() > 1) {
        parseShortBundle(arg);
      } else {
        throw new UsageException(
            "unexpected argument '" + arg + "' (capture files are given with -f PATH)");
      }
    }

    private void parseShortBundle(String arg) throws UsageException {
      for (int i = 1; i < arg.length(); i++) {
        char flag = arg.charAt(i);
        switch (flag) {
          case 'a' -> allStreams = true;
          case 'h' -> help = true;
          case 'f', 'F', 'o' -> {
            String value = i + 1 < arg.length() ? arg.substring(i + 1) : shortValue(flag);
            setShortValue(flag, value);
            return;
          }
          default -> throw new UsageException("unknown option -" + flag);
        }
      }
    }

    private String shortValue(char flag) throws UsageException {
      if (next >= args.length) {
        throw new UsageException("option -" + flag + " needs a value");
      }
      return args[next++];
    }

    private void setShortValue(char flag, String value) throws UsageException {
      switch (flag) {
        case 'f' -> addInput(value);
        case 'F' -> setNameFilter(value);
        default -> setOutput(value);
      }
    }

    private void parseLong(String arg) throws UsageException {
      int eq = arg.indexOf('=');
      String name = eq < 0 ? arg : arg.substring(0, eq);
      switch (name) {
        case "--help" -> {
          help = true;
          if (eq >= 0) {
            helpTopic = arg.substring(eq + 1);
          }
        }
        case "--all-streams" -> allStreams = flagWithoutValue(name, eq);
        case "--header" -> header = flagWithoutValue(name, eq);
        case "--s3-path-style" -> s3PathStyle = flagWithoutValue(name, eq);
        case "--summary" -> summary = flagWithoutValue(name, eq);
        case "--report" -> setReport(longValue(arg, name, eq));
        case "--file" -> addInput(longValue(arg, name, eq));
        case "--name-filter" -> setNameFilter(longValue(arg, name, eq));
        case "--output" -> setOutput(longValue(arg, name, eq));
        case "--split-size" -> splitSize = parseSize(longValue(arg, name, eq));
        case "--ip-format" -> ipFormat = parseIpFormat(longValue(arg, name, eq));
        case "--format" -> format = OutputFormat.named(longValue(arg, name, eq));
        case "--run-report" -> setRunReport(longValue(arg, name, eq));
        case "--window" -> window = parseDuration(name, longValue(arg, name, eq));
        case "--watch" -> watch = flagWithoutValue(name, eq);
        case "--poll-interval" -> pollInterval = parseDuration(name, longValue(arg, name, eq));
        case "--watch-until" -> watchUntil = parseDuration(name, longValue(arg, name, eq));
        default -> {
          if (eq < 0 && next < args.length && !args[next].startsWith("-")) {
            // Beam's parser only knows --name=value and --flag; accept "--name value" as well.
            pipelineArgs.add(arg + "=" + args[next++]);
          } else {
            pipelineArgs.add(arg);
          }
        }
      }
    }

    private static boolean flagWithoutValue(String name, int eq) throws UsageException {
      if (eq >= 0) {
        throw new UsageException("option " + name + " takes no value");
      }
      return true;
    }

    private String longValue(String arg, String name, int eq) throws UsageException {
      if (eq >= 0) {
        return arg.substring(eq + 1);
      }
      if (next >= args.length) {
        throw new UsageException("option " + name + " needs a value");
      }
      return args[next++];
    }

    private void addInput(String path) throws UsageException {
      if (path.isEmpty()) {
        throw new UsageException("-f needs a file, glob or URI, got an empty value");
      }
      inputs.add(path);
    }

    private void setNameFilter(String value) throws UsageException {
      if (value.isEmpty()) {
        throw new UsageException("-F needs a non-empty name substring");
      }
      if (nameFilter != null) {
        throw new UsageException("-F given twice");
      }
      nameFilter = value;
    }

    private void setOutput(String value) throws UsageException {
      if (value.isEmpty()) {
        throw new UsageException("-o needs an output prefix, got an empty value");
      }
      if (output != null) {
        throw new UsageException("-o given twice");
      }
      output = value;
    }

    private void setReport(String value) throws UsageException {
      if (value.isEmpty() || value.endsWith("/")) {
        throw new UsageException(
            "--report needs a file path or URI (report.html, s3://bucket/report.html), got '"
                + value
                + "'");
      }
      if (report != null) {
        throw new UsageException("--report given twice");
      }
      report = value;
    }

    private void setRunReport(String value) throws UsageException {
      if (value.isEmpty() || value.endsWith("/")) {
        throw new UsageException(
            "--run-report needs a file path or URI (report.json, s3://bucket/report.json), got '"
                + value
                + "'");
      }
      if (runReport != null) {
        throw new UsageException("--run-report given twice");
      }
      runReport = value;
    }

    private static long parseSize(String text) throws UsageException {
      String digits = text;
      long unit = 1;
      if (!text.isEmpty()) {
        switch (Character.toUpperCase(text.charAt(text.length() - 1))) {
          case 'K' -> unit = 1L << 10;
          case 'M' -> unit = 1L << 20;
          case 'G' -> unit = 1L << 30;
          default -> unit = 1;
        }
        if (unit != 1) {
          digits = text.substring(0, text.length() - 1);
        }
      }
      long size;
      try {
        size = Math.multiplyExact(Long.parseLong(digits), unit);
      } catch (NumberFormatException | ArithmeticException e) {
        throw new UsageException(
            "--split-size needs a byte count such as 1048576 or 64M, got '" + text + "'");
      }
      if (size < SnoopIO.MIN_DESIRED_SPLIT_SIZE) {
        throw new UsageException(
            "--split-size must be at least "
                + SnoopIO.MIN_DESIRED_SPLIT_SIZE
                + " bytes, got "
                + text);
      }
      return size;
    }

    private static IpFormat parseIpFormat(String text) throws UsageException {
      try {
        return IpFormat.valueOf(text.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new UsageException("--ip-format must be padded or plain, got '" + text + "'");
      }
    }

    /**
     * A duration as {@code --window} and the watch options take it: a positive whole number and a
     * unit, {@code ms}, {@code s}, {@code m}, {@code h} or {@code d} ({@code 10s}, {@code 1m}).
     */
    static Duration parseDuration(String option, String text) throws UsageException {
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("([0-9]{1,9})(ms|s|m|h|d)").matcher(text);
      if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
        throw new UsageException(
            option + " needs a positive duration such as 10s, 1m or 1h, got '" + text + "'");
      }
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }

    /** A problem of options that are each well formed but do not go together; else null. */
    UsageException combinationProblem() {
      if (watch && inputs.isEmpty()) {
        return new UsageException(
            "--watch watches capture files: give their patterns with -f (a live stream is read"
                + " from stdin without --watch)");
      }
      if (watch && window == null) {
        return new UsageException(
            "--watch prints results per window of capture time: give --window=DURATION");
      }
      if (!watch && (pollInterval != null || watchUntil != null)) {
        return new UsageException(
            (pollInterval != null ? "--poll-interval" : "--watch-until") + " needs --watch");
      }
      if (window != null && report != null) {
        return new UsageException("--report is one page for a run without --window");
      }
      if (window != null && summary && output == null) {
        return new UsageException(
            "--summary with --window writes a summary file per window: give -o PREFIX");
      }
      if (window != null && format == OutputFormat.PARQUET) {
        return new UsageException(
            "--window writes documents per window: not with --format=parquet");
      }
      if (format == OutputFormat.PARQUET && output == null) {
        return new UsageException(
            "--format=parquet writes files: give them a prefix with -o PREFIX");
      }
      if (header && format != null && format != OutputFormat.TSV) {
        return new UsageException(
            "--header is for the TSV (CSV always starts with one; JSON lines and Parquet name"
                + " their fields)");
      }
      if (summary && output == null && ((format != null && format != OutputFormat.TSV) || header)) {
        return new UsageException(
            "--summary prints the summary instead of the rows: --format and --header are for the"
                + " rows, which -o PREFIX writes beside the summary");
      }
      return null;
    }

    CommandLine build() {
      return new AutoValue_CommandLine(
          help,
          Optional.ofNullable(helpTopic),
          List.copyOf(inputs),
          allStreams,
          Optional.ofNullable(nameFilter),
          Optional.ofNullable(output),
          Optional.ofNullable(splitSize),
          Optional.ofNullable(ipFormat),
          Optional.ofNullable(format),
          header,
          s3PathStyle,
          Optional.ofNullable(window),
          watch,
          Optional.ofNullable(pollInterval),
          Optional.ofNullable(watchUntil),
          summary,
          Optional.ofNullable(report),
          Optional.ofNullable(runReport),
          List.copyOf(pipelineArgs));
    }
  }
}
