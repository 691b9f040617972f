package dev.connbal.pipeline;

import com.google.auto.value.AutoValue;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Where a run writes what the driver reads back: the pipeline's results leave the workers only
 * through files, so that every runner (also a remote Flink cluster) can return them.
 */
@AutoValue
abstract class ResultLocations {
  /** The run's own directory under the temp location. */
  abstract ResourceId directory();

  /**
   * Where the rows go: the user's {@code -o} file (for Parquet, the start of its files' names), or
   * the document's file in the run's result directory.
   */
  abstract ResourceId rows();

  /** Whether {@link #rows()} is the user's output, which must survive the cleanup. */
  abstract boolean rowsAreOutput();

  /** The run report, one Base64 line of its coder's encoding. */
  abstract ResourceId report();

  /** The read errors, one Base64 line each. */
  abstract ResourceId errors();

  /** In a windowed run, the files of the windows (then {@link #rows()} is not written). */
  abstract @Nullable WindowFiles windowFiles();

  /** The same with the rows in a file per window: the user's {@code -o} ones, or the run's own. */
  ResultLocations withWindows(WindowFiles files) {
    return new AutoValue_ResultLocations(
        directory(), rows(), rowsAreOutput(), report(), errors(), files);
  }

  static ResultLocations in(ResourceId resultDirectory, ResourceId output) {
    return new AutoValue_ResultLocations(
        resultDirectory,
        output,
        true,
        file(resultDirectory, "report"),
        file(resultDirectory, "errors"),
        null);
  }

  static ResultLocations in(ResourceId resultDirectory) {
    return new AutoValue_ResultLocations(
        resultDirectory,
        file(resultDirectory, "rows"),
        false,
        file(resultDirectory, "report"),
        file(resultDirectory, "errors"),
        null);
  }

  /**
   * What the cleanup deletes, in order: the result files, then the run's directory where
   * directories exist (local files; object stores such as S3 have none).
   */
  List<ResourceId> temporaryResources() throws IOException {
    List<ResourceId> resources = new ArrayList<>();
    if (!rowsAreOutput()) {
      resources.add(rows());
      if (windowFiles() != null) {
        windowFiles().written().forEach(m -> resources.add(m.resourceId()));
      }
    }
    resources.add(report());
    resources.add(errors());
    if ("file".equals(directory().getScheme())) {
      resources.add(directory());
    }
    return resources;
  }

  private static ResourceId file(ResourceId directory, String name) {
    return directory.resolve(name, StandardResolveOptions.RESOLVE_FILE);
  }
}
