package dev.connbal.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ClusterJob against a small fake of Flink's REST API ({@link FakeFlinkRest}): the answers are
 * those Flink 1.19 gives (shapes taken from a session cluster's answers to a watch's job).
 */
class ClusterJobTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String JOB = "1c81ede6b0453ddec423569d8a19d679";
  private static final String MAX = "9223372036854775807";

  private FakeFlinkRest rest;

  @BeforeEach
  void startServer() throws IOException {
    rest = new FakeFlinkRest();
  }

  @AfterEach
  void stopServer() {
    rest.close();
  }

  private void answer(String key, int status, String body) {
    rest.answer(key, status, body);
  }

  private ClusterJob job() {
    return rest.job("connbal-run-1");
  }

  private static String state(String state) {
    return "{\"jid\":\"" + JOB + "\",\"state\":\"" + state + "\",\"vertices\":[],\"plan\":{}}";
  }

  @Test
  void findsTheNewestJobOfItsName() throws Exception {
    answer(
        "GET jobs/overview",
        200,
        "{\"jobs\":[{\"jid\":\"a\",\"name\":\"connbal-run-1\",\"start-time\":5},"
            + "{\"jid\":\"b\",\"name\":\"connbal-run-1\",\"start-time\":9},"
            + "{\"jid\":\"c\",\"name\":\"other\",\"start-time\":12}]}");
    assertThat(job().findId(), equalTo("b"));
  }

  @Test
  void noJobOfItsNameYetIsNull() throws Exception {
    answer("GET jobs/overview", 200, "{\"jobs\":[{\"jid\":\"c\",\"name\":\"other\"}]}");
    assertThat(job().findId(), is(nullValue()));
  }

  @Test
  void stopWithDrainAsksForADrainIntoTheDirectoryAndWaitsUntilTheJobHasFinished() throws Exception {
    answer("POST jobs/" + JOB + "/stop", 202, "{\"request-id\":\"t1\"}");
    answer("GET jobs/" + JOB + "/savepoints/t1", 200, "{\"status\":{\"id\":\"IN_PROGRESS\"}}");
    answer(
        "GET jobs/" + JOB + "/savepoints/t1",
        200,
        "{\"status\":{\"id\":\"COMPLETED\"},"
            + "\"operation\":{\"location\":\"file:/tmp/run/savepoint/savepoint-1c81ed-5e0d\"}}");
    answer("GET jobs/" + JOB, 200, state("RUNNING"));
    answer("GET jobs/" + JOB, 200, state("FINISHED"));

    String location = job().stopWithDrain(JOB, "/tmp/run/savepoint/", Duration.ofSeconds(20));

    assertThat(location, equalTo("file:/tmp/run/savepoint/savepoint-1c81ed-5e0d"));
    JsonNode request = JSON.readTree(rest.body("POST jobs/" + JOB + "/stop"));
    assertThat(request.path("drain").asBoolean(), is(true));
    assertThat(request.path("targetDirectory").asText(), equalTo("/tmp/run/savepoint/"));
    List<String> requests = rest.requests();
    assertThat(requests.get(requests.size() - 1), equalTo("GET jobs/" + JOB));
  }

  @Test
  void aSavepointThatFailedIsAnErrorWithItsCause() {
    answer("POST jobs/" + JOB + "/stop", 202, "{\"request-id\":\"t1\"}");
    answer(
        "GET jobs/" + JOB + "/savepoints/t1",
        200,
        "{\"status\":{\"id\":\"COMPLETED\"},\"operation\":{\"failure-cause\":{"
            + "\"class\":\"java.util.concurrent.CompletionException\","
            + "\"stack-trace\":\"java.util.concurrent.CompletionException: "
            + "org.apache.flink.runtime.checkpoint.CheckpointException: Task has failed.\\n"
            + "\\tat java.base/java.util.concurrent.CompletableFuture.encodeThrowable\"}}}");

    IOException e =
        assertThrows(
            IOException.class,
            () -> job().stopWithDrain(JOB, "/tmp/run/savepoint/", Duration.ofSeconds(20)));

    assertThat(e.getMessage(), containsString("CheckpointException: Task has failed."));
    assertThat(e.getMessage(), containsString(JOB));
  }

  @Test
  void aStopTheClusterRefusesNamesItsError() {
    answer(
        "POST jobs/" + JOB + "/stop",
        400,
        "{\"errors\":[\"Config key [state.savepoints.dir] is not set.\\nmore\"]}");

    IOException e =
        assertThrows(
            IOException.class,
            () -> job().stopWithDrain(JOB, "/tmp/run/savepoint/", Duration.ofSeconds(20)));

    assertThat(e.getMessage(), containsString("HTTP 400: Config key [state.savepoints.dir]"));
  }

  @Test
  void aJobThatEndsOtherwiseThanFinishedWasNotDrained() {
    answer("POST jobs/" + JOB + "/stop", 202, "{\"request-id\":\"t1\"}");
    answer(
        "GET jobs/" + JOB + "/savepoints/t1",
        200,
        "{\"status\":{\"id\":\"COMPLETED\"},\"operation\":{\"location\":\"file:/tmp/x\"}}");
    answer("GET jobs/" + JOB, 200, state("CANCELED"));

    IOException e =
        assertThrows(
            IOException.class,
            () -> job().stopWithDrain(JOB, "/tmp/run/savepoint/", Duration.ofSeconds(20)));

    assertThat(e.getMessage(), containsString("ended CANCELED instead of FINISHED"));
  }

  @Test
  void aSavepointThatTakesTooLongTimesOut() {
    answer("POST jobs/" + JOB + "/stop", 202, "{\"request-id\":\"t1\"}");
    answer("GET jobs/" + JOB + "/savepoints/t1", 200, "{\"status\":{\"id\":\"IN_PROGRESS\"}}");

    IOException e =
        assertThrows(
            IOException.class,
            () -> job().stopWithDrain(JOB, "/tmp/run/savepoint/", Duration.ofMillis(600)));

    assertThat(e.getMessage(), containsString("savepoint of job " + JOB + " is not done"));
  }

  /**
   * A job of a source (no inputs, no watermarks) feeding a vertex of parallelism 2: the job is at
   * the end of time when both subtasks of that vertex report a watermark at Beam's end of time or
   * later (Flink's Long.MAX_VALUE, which Beam's operators emit at the end).
   */
  private String sourceAndOneVertex(String state, String vertexStatus) {
    return "{\"jid\":\""
        + JOB
        + "\",\"state\":\""
        + state
        + "\",\"vertices\":["
        + "{\"id\":\"src\",\"parallelism\":1,\"status\":\"RUNNING\"},"
        + "{\"id\":\"v1\",\"parallelism\":2,\"status\":\""
        + vertexStatus
        + "\"}],"
        + "\"plan\":{\"nodes\":[{\"id\":\"v1\",\"inputs\":[{\"id\":\"src\"}]},{\"id\":\"src\"}]}}";
  }

  private static String watermarks(String... values) {
    StringBuilder json = new StringBuilder("[");
    for (int i = 0; i < values.length; i++) {
      json.append(i == 0 ? "" : ",")
          .append("{\"id\":\"")
          .append(i)
          .append(".currentInputWatermark\",\"value\":\"")
          .append(values[i])
          .append("\"}");
    }
    return json.append(']').toString();
  }

  @Test
  void atTheEndOfTimeWhenEverySubtaskWithInputsIsThere() throws Exception {
    answer("GET jobs/" + JOB, 200, sourceAndOneVertex("RUNNING", "RUNNING"));
    answer("GET jobs/" + JOB + "/vertices/v1/watermarks", 200, watermarks(MAX, "9223372036854775"));

    assertThat(job().runsAtEndOfTime(JOB), is(true));
    assertThat(rest.requests().contains("GET jobs/" + JOB + "/vertices/src/watermarks"), is(false));
  }

  @Test
  void notAtTheEndOfTimeWhileOneSubtaskIsBehind() throws Exception {
    answer("GET jobs/" + JOB, 200, sourceAndOneVertex("RUNNING", "RUNNING"));
    answer("GET jobs/" + JOB + "/vertices/v1/watermarks", 200, watermarks(MAX, "1796287239307"));

    assertThat(job().runsAtEndOfTime(JOB), is(false));
  }

  @Test
  void notAtTheEndOfTimeWhileASubtaskHasReportedNoWatermarkYet() throws Exception {
    answer("GET jobs/" + JOB, 200, sourceAndOneVertex("RUNNING", "RUNNING"));
    answer("GET jobs/" + JOB + "/vertices/v1/watermarks", 200, watermarks(MAX));

    assertThat(job().runsAtEndOfTime(JOB), is(false));
  }

  @Test
  void notAtTheEndOfTimeUnlessTheJobAndEveryVertexRun() throws Exception {
    answer("GET jobs/" + JOB, 200, sourceAndOneVertex("RESTARTING", "RUNNING"));
    answer("GET jobs/" + JOB, 200, sourceAndOneVertex("RUNNING", "DEPLOYING"));
    answer("GET jobs/" + JOB + "/vertices/v1/watermarks", 200, watermarks(MAX, MAX));

    assertThat(job().runsAtEndOfTime(JOB), is(false));
    assertThat(job().runsAtEndOfTime(JOB), is(false));
    assertThat(rest.requests().contains("GET jobs/" + JOB + "/vertices/v1/watermarks"), is(false));
  }
}
