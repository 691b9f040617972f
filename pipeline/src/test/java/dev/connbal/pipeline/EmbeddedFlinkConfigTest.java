package dev.connbal.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.NettyShuffleEnvironmentOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedFlinkConfigTest {
  @TempDir Path directory;

  private static ConnBalOptions options(List<String> args) {
    ConnBalCommand.registerOptions();
    return PipelineOptionsFactory.fromArgs(args.toArray(new String[0])).as(ConnBalOptions.class);
  }

  private static boolean appliesTo(List<String> args, Map<String, String> env) {
    return EmbeddedFlinkConfig.appliesTo(options(args), args, env);
  }

  @Test
  void appliesToEmbeddedFlinkOnly() {
    assertThat(appliesTo(List.of("--runner=FlinkRunner"), Map.of()), is(true));
    assertThat(
        appliesTo(List.of("--runner=FlinkRunner", "--flinkMaster=[local]"), Map.of()), is(true));
    assertThat(appliesTo(List.of(), Map.of()), is(false));
    assertThat(
        appliesTo(List.of("--runner=FlinkRunner", "--flinkMaster=localhost:8081"), Map.of()),
        is(false));
  }

  @Test
  void aConfigurationTheUserNamesWins() {
    assertThat(
        appliesTo(List.of("--runner=FlinkRunner", "--flinkConfDir=/etc/flink"), Map.of()),
        is(false));
    assertThat(
        appliesTo(List.of("--runner=FlinkRunner"), Map.of("FLINK_CONF_DIR", "/etc/flink")),
        is(false));
    assertThat(appliesTo(List.of("--runner=FlinkRunner"), Map.of("FLINK_CONF_DIR", "")), is(true));
  }

  /** Reads the written file with Flink's own loader, as the runner does. */
  private Configuration written(String... args) throws Exception {
    ConnBalOptions options = options(List.of(args));
    EmbeddedFlinkConfig.apply(options, directory);
    String confDir = options.as(FlinkPipelineOptions.class).getFlinkConfDir();
    assertThat(confDir, equalTo(directory.toString()));
    return GlobalConfiguration.loadConfiguration(confDir);
  }

  /** The sort shuffle starts at no parallelism, so every blocking exchange is hash-shuffled. */
  private static void assertHashShuffle(Configuration config) {
    assertThat(
        config.get(NettyShuffleEnvironmentOptions.NETWORK_SORT_SHUFFLE_MIN_PARALLELISM),
        is(Integer.MAX_VALUE));
  }

  @Test
  void atLowParallelismTheHashShuffleAndHalfTheNetworkMemory() throws Exception {
    Configuration config = written("--runner=FlinkRunner", "--parallelism=2");

    assertHashShuffle(config);
    assertThat(config.get(TaskManagerOptions.NETWORK_MEMORY_MIN), is(MemorySize.ofMebiBytes(32)));
    assertThat(config.get(TaskManagerOptions.NETWORK_MEMORY_MAX), is(MemorySize.ofMebiBytes(32)));
    assertThat(config.contains(TaskManagerOptions.MANAGED_MEMORY_SIZE), is(false));
  }

  @Test
  void atHighParallelismManagedAndNetworkMemoryGrowWithIt() throws Exception {
    Configuration config = written("--runner=FlinkRunner", "--parallelism=32");

    assertHashShuffle(config);
    assertThat(config.get(TaskManagerOptions.MANAGED_MEMORY_SIZE), is(MemorySize.ofMebiBytes(512)));
    // 6 producers per slot x 32 slots x 33 buffers = 6,336 buffers of 32 KiB = 198 MiB.
    assertThat(config.get(TaskManagerOptions.NETWORK_MEMORY_MIN), is(MemorySize.ofMebiBytes(198)));
    assertThat(config.get(TaskManagerOptions.NETWORK_MEMORY_MAX), is(MemorySize.ofMebiBytes(198)));
  }

  @Test
  void networkMemoryIsNeverBelowFlinksDefault() throws Exception {
    // 6 x 16 x 17 = 1,632 buffers = 51 MiB, under the 64 MiB default.
    Configuration config = written("--runner=FlinkRunner", "--parallelism=16");

    assertThat(config.get(TaskManagerOptions.NETWORK_MEMORY_MIN), is(MemorySize.ofMebiBytes(64)));
  }

  @Test
  void withoutAParallelismTheCoresCount() throws Exception {
    Configuration config = written("--runner=FlinkRunner");

    int cores = Runtime.getRuntime().availableProcessors();
    boolean fewCores = cores <= EmbeddedFlinkConfig.FIXED_MEMORY_MAX_PARALLELISM;
    MemorySize network =
        fewCores
            ? MemorySize.parse(EmbeddedFlinkConfig.SMALL_NETWORK_MEMORY)
            : MemorySize.ofMebiBytes(EmbeddedFlinkConfig.networkMib(cores));
    assertThat(config.get(TaskManagerOptions.NETWORK_MEMORY_MIN), is(network));
    assertThat(config.contains(TaskManagerOptions.MANAGED_MEMORY_SIZE), is(!fewCores));
  }

  @Test
  void aRestPortIsOnTheLoopbackAddressAndOnlyWhenAsked() throws Exception {
    Configuration config =
        GlobalConfiguration.loadConfiguration(
            Files.writeString(
                    directory.resolve(EmbeddedFlinkConfig.FILE_NAME),
                    EmbeddedFlinkConfig.yaml(2, 34567))
                .getParent()
                .toString());

    assertThat(config.get(RestOptions.BIND_PORT), equalTo("34567"));
    assertThat(config.get(RestOptions.PORT), is(34567));
    assertThat(config.get(RestOptions.BIND_ADDRESS), equalTo("127.0.0.1"));
    assertThat(config.get(RestOptions.ADDRESS), equalTo("127.0.0.1"));
    assertThat(EmbeddedFlinkConfig.yaml(2).contains("rest."), is(false));
  }
}
