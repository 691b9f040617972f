package dev.connbal.pipeline;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;

/**
 * The Flink configuration connbal gives an embedded Flink (the mini-cluster that runs inside
 * connbal's JVM when {@code --runner=FlinkRunner} has no {@code --flinkMaster}), unless the user
 * names one with {@code --flinkConfDir} or {@code FLINK_CONF_DIR}. A session cluster keeps its own
 * configuration.
 *
 * <p>Three settings (bench/RESULTS.md, "Embedded Flink gets connbal's configuration"):
 *
 * <ul>
 *   <li>Blocking exchanges use Flink's hash shuffle (a file per producer, a region of it per
 *       consumer) instead of its sort shuffle, which Flink 1.19 picks at every parallelism and
 *       which holds buffers of its own for each result partition while it writes and reads.
 *       connbal's exchanges carry a few MB per GiB of capture, too little for the sort shuffle's
 *       gain (fewer files at high parallelism) to arise; the hash shuffle's smaller buffers lower
 *       the run's peak memory at the same speed.
 *   <li>Network memory: Flink's local default is 64 MiB whatever the parallelism, while the buffers
 *       a job needs grow with its square: each producing subtask of a hash shuffle holds one buffer
 *       per consumer plus one until it finishes, and how many run at once depends on the machine's
 *       load. Half of the default carried connbal's job at every parallelism tried from 2 to 16; it
 *       is given up to {@value #FIXED_MEMORY_MAX_PARALLELISM}. Above it the pool holds {@value
 *       #PRODUCERS_PER_SLOT} such producers per slot, at least the default: at parallelism 32 the
 *       default failed on a loaded machine ("Insufficient number of network buffers"). Flink
 *       allocates the pool when it starts, so it is not made larger still.
 *   <li>Managed memory (the sorts of the group-by-key steps): Flink's local default is 128 MiB
 *       whatever the parallelism, shared by every slot's sorts, and at parallelism 32 (a 32-core
 *       machine's default) the job failed with "Too little memory provided to sorter". Above
 *       parallelism {@value #FIXED_MEMORY_MAX_PARALLELISM} each slot gets {@value
 *       #MANAGED_MIB_PER_SLOT} MiB; it is allocated as the sorts fill it.
 * </ul>
 */
final class EmbeddedFlinkConfig {
  private EmbeddedFlinkConfig() {}

  /** The name Flink 1.19 reads first in a configuration directory. */
  static final String FILE_NAME = "config.yaml";

  /** Small network memory up to this parallelism, more managed memory above it. */
  static final int FIXED_MEMORY_MAX_PARALLELISM = 8;

  static final String SMALL_NETWORK_MEMORY = "32mb";

  static final int MANAGED_MIB_PER_SLOT = 16;

  /** Hash-shuffle producers per slot the network memory holds above the fixed parallelism. */
  static final int PRODUCERS_PER_SLOT = 6;

  /** Flink's network buffer ({@code taskmanager.memory.segment-size}) and local pool default. */
  private static final long BUFFER_BYTES = 32 << 10;

  private static final long DEFAULT_NETWORK_MIB = 64;

  /** Values of {@code --flinkMaster} that run Flink inside connbal's JVM. */
  private static final Set<String> EMBEDDED_MASTERS = Set.of("[auto]", "[local]");

  /**
   * Whether {@code options} run an embedded Flink that connbal configures: no {@code
   * --flinkConfDir} among {@code pipelineArgs} and no {@code FLINK_CONF_DIR} in {@code env}.
   */
  static boolean appliesTo(
      ConnBalOptions options, List<String> pipelineArgs, Map<String, String> env) {
    if (!FlinkRunner.class.equals(options.getRunner())) {
      return false;
    }
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    return isEmbedded(flink)
        && !RunnerDefaults.given(pipelineArgs, "flinkConfDir")
        && env.getOrDefault("FLINK_CONF_DIR", "").isEmpty();
  }

  /** Whether {@code flink} runs Flink inside connbal's JVM. */
  static boolean isEmbedded(FlinkPipelineOptions flink) {
    return EMBEDDED_MASTERS.contains(flink.getFlinkMaster());
  }

  /**
   * The parallelism a job of {@code flink} runs at: the given one, or for an embedded Flink the
   * number of cores (Flink's local default); 0 when a cluster decides.
   */
  static int parallelism(FlinkPipelineOptions flink) {
    if (flink.getParallelism() > 0) {
      return flink.getParallelism();
    }
    return isEmbedded(flink) ? Runtime.getRuntime().availableProcessors() : 0;
  }

  /** The configuration for a job of {@code parallelism} tasks per step. */
  static String yaml(int parallelism) {
    return yaml(parallelism, 0);
  }

  /**
   * The configuration for a job of {@code parallelism} tasks per step whose REST API listens on
   * {@code restPort} of the loopback address (0: on a port Flink chooses, which connbal cannot
   * learn).
   */
  static String yaml(int parallelism, int restPort) {
    StringBuilder yaml =
        new StringBuilder()
            .append("# Written by connbal for an embedded Flink (EmbeddedFlinkConfig).\n")
            .append("taskmanager.network.sort-shuffle.min-parallelism: ")
            .append(Integer.MAX_VALUE)
            .append('\n');
    if (parallelism <= FIXED_MEMORY_MAX_PARALLELISM) {
      yaml.append("taskmanager.memory.network.min: ").append(SMALL_NETWORK_MEMORY).append('\n');
      yaml.append("taskmanager.memory.network.max: ").append(SMALL_NETWORK_MEMORY).append('\n');
    } else {
      yaml.append("taskmanager.memory.managed.size: ")
          .append(MANAGED_MIB_PER_SLOT * parallelism)
          .append("mb\n");
      String network = networkMib(parallelism) + "mb";
      yaml.append("taskmanager.memory.network.min: ").append(network).append('\n');
      yaml.append("taskmanager.memory.network.max: ").append(network).append('\n');
    }
    if (restPort > 0) {
      yaml.append("rest.address: 127.0.0.1\n")
          .append("rest.bind-address: 127.0.0.1\n")
          .append("rest.port: ")
          .append(restPort)
          .append('\n')
          .append("rest.bind-port: ")
          .append(restPort)
          .append('\n')
          // The REST API's watermarks come from metrics it fetches this often (Flink: 10 s).
          .append("metrics.fetcher.update-interval: 1000\n");
    }
    return yaml.toString();
  }

  /**
   * MiB of network memory above the fixed parallelism: {@link #PRODUCERS_PER_SLOT} hash-shuffle
   * producers in each of {@code parallelism} slots, each holding {@code parallelism + 1} buffers.
   */
  static long networkMib(int parallelism) {
    long bytes = (long) PRODUCERS_PER_SLOT * parallelism * (parallelism + 1) * BUFFER_BYTES;
    return Math.max(DEFAULT_NETWORK_MIB, (bytes + (1 << 20) - 1) >> 20);
  }

  /**
   * Writes the configuration for {@code options}' parallelism (the number of cores when none is
   * given, as Flink's local default) into {@code directory} and makes {@code options} use it.
   */
  static void apply(ConnBalOptions options, Path directory) throws IOException {
    apply(options, directory, 0);
  }

  /**
   * Like {@link #apply(ConnBalOptions, Path)}, with the REST API on {@code restPort} of the
   * loopback address: how connbal reaches its embedded Flink's job ({@link WatchDrain}).
   */
  static void apply(ConnBalOptions options, Path directory, int restPort) throws IOException {
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    Files.writeString(
        directory.resolve(FILE_NAME), yaml(parallelism(flink), restPort), StandardCharsets.UTF_8);
    flink.setFlinkConfDir(directory.toString());
  }

  /** A TCP port of the loopback address that nothing listens on now. */
  static int freeLoopbackPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
