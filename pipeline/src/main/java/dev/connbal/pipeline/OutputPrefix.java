package dev.connbal.pipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * What {@code -o PREFIX} names, for every output format: a PREFIX ending in a slash, or naming an
 * existing local directory, is a directory whose files are named {@value #IN_DIRECTORY}; any other
 * PREFIX is the start of the file names. Object stores have no directories to test, hence the
 * slash.
 */
final class OutputPrefix {
  /** The start of the file names inside a directory given as PREFIX. */
  static final String IN_DIRECTORY = "connbal";

  private OutputPrefix() {}

  /** The file (or, for Parquet, the start of the file names) that PREFIX plus {@code suffix} is. */
  static ResourceId resolve(String prefix, String suffix) {
    boolean localDirectory = !prefix.contains("://") && Files.isDirectory(Path.of(prefix));
    if (prefix.endsWith("/") || localDirectory) {
      return FileSystems.matchNewResource(prefix, true)
          .resolve(IN_DIRECTORY + suffix, StandardResolveOptions.RESOLVE_FILE);
    }
    return FileSystems.matchNewResource(prefix + suffix, false);
  }
}
