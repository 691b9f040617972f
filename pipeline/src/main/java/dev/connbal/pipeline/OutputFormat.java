package dev.connbal.pipeline;

import java.util.Locale;

/**
 * What the rows are written as ({@code --format}). Every format carries the same rows; the text
 * formats are one sorted document, to stdout or {@code -o}, and Parquet is files under {@code -o}.
 */
public enum OutputFormat {
  /** SEMANTICS.md's TSV, the default. */
  TSV("tsv"),
  /** RFC 4180 CSV with a header of the row's field names. */
  CSV("csv"),
  /** One JSON object a line. */
  JSONL("jsonl"),
  /** Parquet files ({@code PREFIX*.parquet}), which need {@code -o}. */
  PARQUET("parquet");

  private final String extension;

  OutputFormat(String extension) {
    this.extension = extension;
  }

  /** The file name extension, which is also the format's name on the command line. */
  public String extension() {
    return extension;
  }

  /** Whether the format is one text document (which may go to stdout). */
  public boolean isDocument() {
    return this != PARQUET;
  }

  /** The format named {@code name} on the command line ({@code tsv}, {@code csv}...). */
  static OutputFormat named(String name) throws UsageException {
    for (OutputFormat format : values()) {
      if (format.extension.equals(name.toLowerCase(Locale.ROOT))) {
        return format;
      }
    }
    throw new UsageException("unknown --format '" + name + "' (tsv, csv, jsonl or parquet)");
  }
}
