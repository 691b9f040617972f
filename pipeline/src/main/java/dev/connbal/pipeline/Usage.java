package dev.connbal.pipeline;

import java.io.PrintStream;
import java.util.Optional;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/** The {@code --help} text, and Beam's own option help for {@code --help=OptionsInterface}. */
final class Usage {
  static final String TEXT =
      String.join(
          "\n",
          "Usage: connbal [-a] [-F NAME] [-f PATH]... [-o PREFIX] [OPTION]... [BEAM OPTION]...",
          "",
          "Reads snoop (RFC 1761) packet captures and prints, per client, backend and port,",
          "how many TCP connections went to each backend that DNS returned:",
          "  client-ip  backend-ip:port  #conns  #dns  name",
          "With no -f, reads one snoop stream from stdin until end of stream or Ctrl-C.",
          "",
          "Options:",
          "  -a, --all-streams      count every TCP stream, also those open before the capture",
          "  -f, --file PATH        capture to read: a file, a glob or a URI of any Beam file",
          "                         system (s3://bucket/prefix/*.snoop); repeatable",
          "  -F, --name-filter SUB  only DNS lookups whose name contains SUB (case-insensitive)",
          "  -o, --output PREFIX    write the rows to PREFIX.tsv (.csv, .jsonl) instead of",
          "                         stdout (local or s3://); a PREFIX ending in / (or an",
          "                         existing directory) gets PREFIX/connbal.tsv (...);",
          "                         Parquet: PREFIX*.parquet",
          "      --format=tsv|csv|jsonl|parquet",
          "                         what the rows are written as (default tsv); csv has a",
          "                         header, the port empty where the TSV prints ?; jsonl",
          "                         has null there; parquet needs -o",
          "      --split-size=BYTES read captures in ranges of about BYTES (default 64M, and",
          "                         512M over files on the Direct runner; K, M, G)",
          "      --ip-format=padded|plain",
          "                         010.000.001.002 (default, sorts with sort -n) or 10.0.1.2",
          "      --header           start the TSV with a line naming the columns",
          "      --summary          print the balance summary instead of the rows: per client",
          "                         and name, backends, conns, lookups, lookups/conn,",
          "                         max/expected, unused, p and verdicts, worst first; with -o,",
          "                         write it to PREFIX.summary.tsv beside the rows",
          "      --report=FILE.html also write the balance report, one self-contained HTML",
          "                         file with a chart per client and name (local or s3://...)",
          "      --s3-path-style    address S3 buckets path-style (S3Proxy, MinIO, Ceph)",
          "      --run-report=PATH  also write the run report as JSON to PATH (local or any",
          "                         file system, s3://...): counters, inputs with errors,",
          "                         runner, start and end, exit status and its kind; written",
          "                         for failed runs too (usage errors, unreadable inputs,",
          "                         failed or interrupted runs)",
          "  -h, --help             this help; --help=NAME lists the Beam options of NAME",
          "                         (e.g. --help=FlinkPipelineOptions, --help=S3Options)",
          "",
          "Any other --name=value is a Beam pipeline option, e.g. --runner=FlinkRunner,",
          "--parallelism=2, --flinkMaster=host:8081, --tempLocation=s3://bucket/tmp,",
          "--endpoint=http://127.0.0.1:9000, --awsRegion=us-east-1.",
          "The Direct runner is the default, embedded Flink for inputs over 2 GiB;",
          "--runner=FlinkRunner without --flinkMaster runs an embedded Flink. Results come",
          "back to connbal through files under --tempLocation",
          "(default: a local temporary directory); with a Flink cluster on other machines, give",
          "a --tempLocation they can all reach, such as s3://bucket/tmp.",
          "",
          "The rows go to stdout (or -o); the run report and one line per read error go to",
          "stderr. Exit status: 0 success, 1 usage error, 2 an input could not be read (the",
          "results of everything that could be read are still printed) or the run failed,",
          "3 the run succeeded but --run-report could not be written, 130 (SIGINT) or 143",
          "(SIGTERM) the run was stopped; Ctrl-C while stdin is read ends the input instead.",
          "",
          "Examples:",
          "  connbal -f capture.snoop",
          "  connbal -a -F example.com -f 'archive/*.snoop' --ip-format=plain",
          "  connbal -f capture.snoop --summary --report=balance.html",
          "  snoop -o /dev/stdout -d net0 | connbal",
          "  connbal -f 's3://captures/2024-*/*.snoop' -o s3://results/lb --s3-path-style \\",
          "      --endpoint=http://127.0.0.1:9000 --awsRegion=us-east-1",
          "  connbal -f 'archive/*.snoop' --runner=FlinkRunner --flinkMaster=localhost:8081 \\",
          "      --parallelism=2",
          "  connbal -f 's3://captures/2024-05-01/*.snoop' -o s3://results/2024-05-01 \\",
          "      --run-report=s3://results/2024-05-01.report.json",
          "");

  private Usage() {}

  /**
   * Prints the help for {@code topic} (an options interface's simple or full name), or connbal's
   * own help.
   *
   * @return false if no registered options interface has that name
   */
  static boolean print(PrintStream out, Optional<String> topic) {
    if (topic.isEmpty() || topic.get().isEmpty()) {
      out.print(TEXT);
      return true;
    }
    ConnBalCommand.registerOptions();
    for (Class<? extends PipelineOptions> options : PipelineOptionsFactory.getRegisteredOptions()) {
      if (options.getSimpleName().equals(topic.get()) || options.getName().equals(topic.get())) {
        PipelineOptionsFactory.printHelp(out, options);
        return true;
      }
    }
    return false;
  }
}
