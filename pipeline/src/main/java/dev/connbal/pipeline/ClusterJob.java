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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A job that connbal submits to a Flink cluster, known by its name (Beam's {@code --jobName},
 * unique per run), and cancelled or stopped with drain through the cluster's REST API ({@code
 * --flinkMaster} is its address; an embedded Flink's is the one {@link EmbeddedFlinkConfig} gives
 * it). Beam's Flink runner submits an attached job whose {@code run()} returns only when the job
 * has ended, so there is no {@code PipelineResult} to cancel while it runs; and a client that exits
 * leaves the job running on the cluster.
 */
final class ClusterJob {
  /** Flink's job states in which a job no longer runs. */
  private static final Set<String> ENDED = Set.of("FINISHED", "CANCELED", "FAILED");

  /** Beam's end of time in Flink's milliseconds: a watermark here lets every window fire. */
  static final long END_OF_TIME_MILLIS = BoundedWindow.TIMESTAMP_MAX_VALUE.getMillis();

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
    String jobId = findId();
    while (jobId == null) {
      if (submitEnded.getAsBoolean()) {
        throw new IOException("no job named " + name + " on " + cluster());
      }
      pause(deadline, "the job " + name + " did not appear on " + cluster());
      jobId = findId();
    }
    String state = state(jobId);
    if (!ENDED.contains(state)) {
      send("PATCH", "jobs/" + encode(jobId) + "?mode=cancel", null);
    }
    while (!ENDED.contains(state)) {
      pause(deadline, "job " + jobId + " is still " + state + " on " + cluster());
      state = state(jobId);
    }
    return new Cancelled(jobId, state);
  }

  /**
   * Whether the job runs (every task of it) and its watermark has reached Beam's end of time
   * everywhere: every subtask of every vertex with inputs reports an input watermark at {@link
   * #END_OF_TIME_MILLIS} or later. Then no source holds time back any more (a watch has ended), and
   * every window can be written. Flink's REST API reports watermarks from its metrics, which it
   * fetches every few seconds, so this turns true a little after the fact, never before it.
   */
  boolean runsAtEndOfTime(String jobId) throws IOException, InterruptedException {
    JsonNode job = send("GET", "jobs/" + encode(jobId), null);
    if (!"RUNNING".equals(job.path("state").asText())) {
      return false;
    }
    List<String> withInputs = new ArrayList<>();
    for (JsonNode node : job.path("plan").path("nodes")) {
      if (!node.path("inputs").isEmpty()) {
        withInputs.add(node.path("id").asText());
      }
    }
    if (withInputs.isEmpty()) {
      return false;
    }
    for (JsonNode vertex : job.path("vertices")) {
      if (!"RUNNING".equals(vertex.path("status").asText())) {
        return false;
      }
    }
    for (JsonNode vertex : job.path("vertices")) {
      String id = vertex.path("id").asText();
      if (withInputs.contains(id)
          && !atEndOfTime(
              send(
                  "GET", "jobs/" + encode(jobId) + "/vertices/" + encode(id) + "/watermarks", null),
              vertex.path("parallelism").asInt())) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code parallelism} subtasks' watermarks are all at the end of time. */
  private static boolean atEndOfTime(JsonNode watermarks, int parallelism) {
    int atEnd = 0;
    for (JsonNode watermark : watermarks) {
      if (watermark.path("value").asLong(Long.MIN_VALUE) < END_OF_TIME_MILLIS) {
        return false;
      }
      atEnd++;
    }
    return atEnd >= parallelism && parallelism > 0;
  }

  /**
   * Stops the job with drain (Flink's stop with a savepoint, {@code drain: true}): its sources end,
   * the watermark goes to the end of time, every operator finishes what it holds, a savepoint is
   * written under {@code savepointDirectory} (a path the cluster writes to), and the job ends
   * FINISHED.
   *
   * @return where the savepoint is, as the cluster names it
   * @throws IOException if the cluster refuses or fails the stop, the job ends in another state, or
   *     the job has not ended within {@code timeout}
   */
  String stopWithDrain(String jobId, String savepointDirectory, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String job = "jobs/" + encode(jobId);
    String body =
        JSON.createObjectNode()
            .put("drain", true)
            .put("targetDirectory", savepointDirectory)
            .toString();
    String trigger = send("POST", job + "/stop", body).path("request-id").asText();
    if (trigger.isEmpty()) {
      throw new IOException("POST " + rest.resolve(job + "/stop") + ": no request-id");
    }
    JsonNode savepoint = send("GET", job + "/savepoints/" + encode(trigger), null);
    while (!"COMPLETED".equals(savepoint.path("status").path("id").asText())) {
      pause(deadline, "the savepoint of job " + jobId + " is not done on " + cluster());
      savepoint = send("GET", job + "/savepoints/" + encode(trigger), null);
    }
    JsonNode failure = savepoint.path("operation").path("failure-cause");
    if (!failure.isMissingNode() && !failure.isNull()) {
      throw new IOException(
          "the cluster could not stop job " + jobId + " with a savepoint: " + cause(failure));
    }
    String state = state(jobId);
    while (!ENDED.contains(state)) {
      pause(deadline, "job " + jobId + " is still " + state + " on " + cluster());
      state = state(jobId);
    }
    if (!"FINISHED".equals(state)) {
      throw new IOException("job " + jobId + " ended " + state + " instead of FINISHED");
    }
    return savepoint.path("operation").path("location").asText();
  }

  /** The first line of a failure Flink's REST API reports (a serialized exception). */
  private static String cause(JsonNode failure) {
    String text = failure.path("stack-trace").asText(failure.path("class").asText("unknown"));
    int end = text.indexOf('\n');
    return (end < 0 ? text : text.substring(0, end)).strip();
  }

  /**
   * The id of the newest job of this name in the cluster's overview, or null if there is none yet.
   */
  @Nullable String findId() throws IOException, InterruptedException {
    JsonNode found = null;
    for (JsonNode job : send("GET", "jobs/overview", null).path("jobs")) {
      if (name.equals(job.path("name").asText())
          && (found == null
              || job.path("start-time").asLong() > found.path("start-time").asLong())) {
        found = job;
      }
    }
    return found == null ? null : found.path("jid").asText();
  }

  /** The job's state as the cluster reports it (RUNNING, FINISHED, ...). */
  String state(String jobId) throws IOException, InterruptedException {
    return send("GET", "jobs/" + encode(jobId), null).path("state").asText();
  }

  private static String encode(String pathPart) {
    return URLEncoder.encode(pathPart, StandardCharsets.UTF_8);
  }

  /** Sends a request with {@code json} as its body (none when null); returns the JSON answer. */
  private JsonNode send(String method, String path, @Nullable String json)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(rest.resolve(path)).timeout(Duration.ofSeconds(10));
    if (json == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
    }
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    if (response.statusCode() / 100 != 2) {
      throw new IOException(
          method
              + " "
              + rest.resolve(path)
              + ": HTTP "
              + response.statusCode()
              + firstError(response.body()));
    }
    return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
  }

  /** The first of the errors a REST answer lists ({@code {"errors": [...]}}), as ": ...". */
  private static String firstError(String body) {
    try {
      String error = JSON.readTree(body).path("errors").path(0).asText("");
      int end = error.indexOf('\n');
      error = (end < 0 ? error : error.substring(0, end)).strip();
      return error.isEmpty() ? "" : ": " + error;
    } catch (IOException e) {
      return ""; // not JSON: the status says enough
    }
  }

  private static void pause(long deadline, String timedOut)
      throws IOException, InterruptedException {
    if (System.nanoTime() - deadline > 0) {
      throw new IOException(timedOut);
    }
    Thread.sleep(POLL.toMillis());
  }
}
