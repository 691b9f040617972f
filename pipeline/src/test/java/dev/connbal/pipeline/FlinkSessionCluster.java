package dev.connbal.pipeline;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A local Flink session cluster for integration tests, run through the committed {@code
 * scripts/flink-cluster}: started on a free REST port with its own state directory, stopped (by
 * the pids the script recorded) on {@link #close()}.
 */
final class FlinkSessionCluster implements AutoCloseable {
  private final Path script;
  private final Path state;
  private final int restPort;

  private FlinkSessionCluster(Path script, Path state, int restPort) {
    this.script = script;
    this.state = state;
    this.restPort = restPort;
  }

  static FlinkSessionCluster start(Path repositoryRoot, Path state, int taskManagers, int slots)
      throws IOException, InterruptedException {
    Path script = repositoryRoot.resolve("scripts/flink-cluster");
    int port = freeLoopbackPort();
    FlinkSessionCluster cluster = new FlinkSessionCluster(script, state, port);
    String out =
        cluster.script(
            "start",
            "--port=" + port,
            "--taskmanagers=" + taskManagers,
            "--slots=" + slots);
    if (!out.trim().equals("localhost:" + port)) {
      cluster.close();
      throw new IOException("scripts/flink-cluster start printed '" + out + "'");
    }
    return cluster;
  }

  String flinkMaster() {
    return "localhost:" + restPort;
  }

  /** The pids of the cluster's processes, as recorded in the state directory. */
  List<Long> pids() throws IOException {
    List<Long> pids = new ArrayList<>();
    if (Files.isDirectory(state)) {
      try (var files = Files.list(state)) {
        for (Path file : (Iterable<Path>) files::iterator) {
          if (file.toString().endsWith(".pid")) {
            pids.add(Long.parseLong(Files.readString(file).trim()));
          }
        }
      }
    }
    return pids;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    script("stop");
  }

  private String script(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(script.toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("FLINK_CLUSTER_DIR", state.toString());
    builder.redirectError(ProcessBuilder.Redirect.INHERIT);
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(180, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException("scripts/flink-cluster " + args[0] + " did not finish");
    }
    if (process.exitValue() != 0) {
      throw new IOException(
          "scripts/flink-cluster " + String.join(" ", args) + " exited " + process.exitValue());
    }
    return out;
  }

  static int freeLoopbackPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
