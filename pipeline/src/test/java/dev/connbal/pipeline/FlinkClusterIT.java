package dev.connbal.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline submitted to a real Flink session cluster (scripts/flink-cluster, one task manager
 * with two slots) gives the same output as the Direct runner on the same captures.
 */
class FlinkClusterIT {
  @TempDir Path work;

  @Test
  void sessionClusterRunMatchesTheDirectRunner() throws Exception {
    Path root = Path.of(System.getProperty("connbal.root")).toRealPath();
    String jar = Path.of(System.getProperty("connbal.jar")).toRealPath().toString();
    Files.createDirectories(work.resolve("captures"));
    Path api = TestCaptures.writeApi(work.resolve("captures/api.snoop"));
    TestCaptures.writeDb(work.resolve("captures/db.snoop"));
    String pattern = work.resolve("captures/*.snoop").toString();

    CommandOutcome direct = CommandOutcome.run("-f", pattern, "--split-size=128");
    assertThat(direct.toString(), direct.exitCode, is(0));
    assertThat(direct.out, equalTo(TestCaptures.API_TSV + TestCaptures.DB_TSV));

    List<Long> pids;
    try (FlinkSessionCluster cluster =
        FlinkSessionCluster.start(root, work.resolve("flink-state"), 1, 2)) {
      pids = cluster.pids();
      assertThat(pids, hasSize(2));
      CommandOutcome flink =
          CommandOutcome.run(
              "-f",
              pattern,
              "--split-size=128",
              "--runner=FlinkRunner",
              "--flinkMaster=" + cluster.flinkMaster(),
              "--parallelism=2",
              "--filesToStage=" + jar);
      assertThat(flink.toString(), flink.exitCode, is(0));
      assertThat(flink.out, equalTo(direct.out));
      assertThat(reportOf(flink.err), equalTo(reportOf(direct.err)));
    }
    for (long pid : pids) {
      assertThat("process " + pid + " stopped", ProcessHandle.of(pid).isPresent(), is(false));
    }
    assertThat(api.toFile().exists(), is(true));
  }

  /** The report lines of stderr (everything but the progress and "wrote" lines). */
  private static String reportOf(String err) {
    StringBuilder report = new StringBuilder();
    err.lines().filter(l -> !l.startsWith("connbal: ")).forEach(l -> report.append(l).append('\n'));
    return report.toString();
  }
}
