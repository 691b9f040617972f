package dev.connbal.pipeline;

import dev.connbal.transforms.ConnBal;
import java.util.Arrays;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * A run of {@link WriteParquet} for {@link ShadedJarParquetIT}, in a JVM of its own whose class
 * path is the shaded jar (and this class): {@code PATTERN PREFIX [BEAM OPTION]...} analyzes the
 * captures that match PATTERN and writes the rows to PREFIX's Parquet files. It exits 0 when the
 * run ended DONE and 1 otherwise; a failure propagates as an uncaught exception (exit 1 too).
 */
public final class ParquetJarCheck {
  private ParquetJarCheck() {}

  public static void main(String[] args) {
    // As connbal's own main: Flink's late shutdown-hook failure after an embedded run is not ours.
    Thread.setDefaultUncaughtExceptionHandler(ConnBalMain::uncaught);
    Pipeline pipeline =
        Pipeline.create(
            PipelineOptionsFactory.fromArgs(Arrays.copyOfRange(args, 2, args.length)).create());
    pipeline.apply(ConnBal.analyze().from(args[0])).rows().apply(WriteParquet.to(args[1]));
    PipelineResult.State state = pipeline.run().waitUntilFinish();
    System.exit(state == PipelineResult.State.DONE ? 0 : 1);
  }
}
