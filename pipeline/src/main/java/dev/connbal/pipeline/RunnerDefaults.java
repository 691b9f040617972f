package dev.connbal.pipeline;

import java.util.List;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;

/**
 * connbal's runner defaults. The Direct runner (the default runner): its immutability and
 * encodability checks copy every element and are for testing DoFns, not for analysing captures,
 * so they are off, and it runs one worker thread per core. Flink: connbal's DoFns never modify
 * their inputs, so Flink need not copy elements between operators ({@code fasterCopy}). Options
 * given on the command line win.
 */
final class RunnerDefaults {
  private RunnerDefaults() {}

  static void apply(ConnbalOptions options, List<String> pipelineArgs, boolean liveProgress) {
    if (FlinkRunner.class.equals(options.getRunner())) {
      if (!given(pipelineArgs, "fasterCopy")) {
        options.as(FlinkPipelineOptions.class).setFasterCopy(true);
      }
      return;
    }
    if (!DirectRunner.class.equals(options.getRunner())) {
      return;
    }
    DirectOptions direct = options.as(DirectOptions.class);
    if (!given(pipelineArgs, "enforceImmutability")) {
      direct.setEnforceImmutability(false);
    }
    if (!given(pipelineArgs, "enforceEncodability")) {
      direct.setEnforceEncodability(false);
    }
    if (!given(pipelineArgs, "targetParallelism")) {
      direct.setTargetParallelism(Runtime.getRuntime().availableProcessors());
    }
    if (liveProgress && !given(pipelineArgs, "blockOnRun")) {
      // run() must return while the pipeline runs, so that its metrics can be polled.
      direct.setBlockOnRun(false);
    }
  }

  private static boolean given(List<String> pipelineArgs, String name) {
    String flag = "--" + name;
    return pipelineArgs.stream().anyMatch(a -> a.equals(flag) || a.startsWith(flag + "="));
  }
}
