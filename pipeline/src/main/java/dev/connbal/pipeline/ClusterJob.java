package dev.connbal.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * A job that connbal submits to a Flink cluster, known by its name (Beam's {@code --jobName},
 * unique per run), and cancelled through the cluster's REST API ({@code --flinkMaster} is its
 * address). Beam's Flink runner submits an attached job whose {@code run()} returns only when the
 * job has ended, so there is no {@code PipelineResult} to cancel while it runs; and a client that
 * exits leaves the job running on the cluster.
 */
final class ClusterJob {
  /** Flink's job states in which a job no longer runs. */
  private static final Set<String> ENDED = Set.of("FINISHED", "CANCELED", "FAILED");

  private static final Duration POLL = Duration.ofMillis(250);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI rest;
  private final String name;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private ClusterJob(URI rest, String name) {
    this.rest = rest;
    this.name = name;
  }

  /**
   * The job named {@code jobName} on the cluster whose REST address is {@code flinkMaster} ({@code
   * host:port}, or a URL {@code http://host:port}).
   */
  static ClusterJob of(String flinkMaster, String jobName) {
    String address = flinkMaster.contains("://") ? flinkMaster : "http://" + flinkMaster;
    return new ClusterJob(URI.create(address.endsWith("/") ? address : address + "/"), jobName);
  }

  /** The cluster's REST address, for messages. */
  String cluster() {
    return rest.getAuthority();
  }

  String name() {
    return name;
  }

  /** How a cancellation ended: the job's id and its last state. */
  record Cancelled(String jobId, String state) {}

  /**
   * Cancels the job and waits until the cluster says it has ended. The job may still be being
   * submitted: it is looked for until it appears, {@code timeout} passes, or {@code submitEnded}
   * says that the submission ended without it (then nothing runs that could be cancelled).
   *
   * @return the job's id and state at the end (CANCELED, or FINISHED or FAILED if it ended first)
   * @throws IOException if the cluster does not answer, or the job did not end within {@code
   *     timeout}
   */
  Cancelled cancel(Duration timeout, BooleanSupplier submitEnded)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String jobId = null;
    while (jobId == null) {
      JsonNode job = findByName();
      if (job != null) {
        jobId = job.path("jid").asText();
      } else if (submitEnded.getAsBoolean()) {
        throw new IOException("no job named " + name + " on " + cluster());
      } else {
        pause(deadline, "the job " + name + " did not appear on " + cluster());
      }
    }
    String state = state(jobId);
    if (!ENDED.contains(state)) {
      send("PATCH", "jobs/" + jobId + "?mode=cancel");
    }
    while (!ENDED.contains(state)) {
      pause(deadline, "job " + jobId + " is still " + state + " on " + cluster());
      state = state(jobId);
    }
    return new Cancelled(jobId, state);
  }

  /** The newest job of this name in the cluster's overview, or null if there is none yet. */
  private JsonNode findByName() throws IOException, InterruptedException {
    JsonNode found = null;
    for (JsonNode job : send("GET", "jobs/overview").path("jobs")) {
      if (name.equals(job.path("name").asText())
          && (found == null
              || job.path("start-time").asLong() > found.path("start-time").asLong())) {
        found = job;
      }
    }
    return found;
  }

  private String state(String jobId) throws IOException, InterruptedException {
    return send("GET", "jobs/" + URLEncoder.encode(jobId, StandardCharsets.UTF_8))
        .path("state")
        .asText();
  }

  private JsonNode send(String method, String path) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(rest.resolve(path))
                .timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    if (response.statusCode() / 100 != 2) {
      throw new IOException(method + " " + rest.resolve(path) + ": HTTP " + response.statusCode());
    }
    return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
  }

  private static void pause(long deadline, String timedOut)
      throws IOException, InterruptedException {
    if (System.nanoTime() - deadline > 0) {
      throw new IOException(timedOut);
    }
    Thread.sleep(POLL.toMillis());
  }
}
