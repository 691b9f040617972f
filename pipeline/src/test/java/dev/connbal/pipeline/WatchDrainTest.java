package dev.connbal.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.io.FileSystems;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WatchDrain against a fake of Flink's REST API ({@link FakeFlinkRest}): it stops the job with
 * drain once the job is at the end of time, and not before; a stop that fails is an error and
 * cancels the job, unless an interrupt is cancelling it already; the savepoint is deleted.
 */
class WatchDrainTest {
  private static final String JOB = "1c81ede6b0453ddec423569d8a19d679";
  private static final String NAME = "connbal-run-1";
  private static final String STOP = "POST jobs/" + JOB + "/stop";
  private static final String CANCEL = "PATCH jobs/" + JOB + "?mode=cancel";

  @TempDir Path dir;

  private FakeFlinkRest rest;
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final List<String> errors = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startRest() throws IOException {
    rest = new FakeFlinkRest();
    rest.answer(
        "GET jobs/overview",
        200,
        "{\"jobs\":[{\"jid\":\"" + JOB + "\",\"name\":\"" + NAME + "\",\"start-time\":5}]}");
  }

  @AfterEach
  void stopRest() {
    rest.close();
  }

  /** The job running: a source feeding one vertex of parallelism 1. */
  private static String running() {
    return "{\"jid\":\""
        + JOB
        + "\",\"state\":\"RUNNING\",\"vertices\":["
        + "{\"id\":\"src\",\"parallelism\":1,\"status\":\"RUNNING\"},"
        + "{\"id\":\"v1\",\"parallelism\":1,\"status\":\"RUNNING\"}],"
        + "\"plan\":{\"nodes\":[{\"id\":\"v1\",\"inputs\":[{\"id\":\"src\"}]},{\"id\":\"src\"}]}}";
  }

  private void watermark(String value) {
    rest.answer(
        "GET jobs/" + JOB + "/vertices/v1/watermarks",
        200,
        "[{\"id\":\"0.currentInputWatermark\",\"value\":\"" + value + "\"}]");
  }

  private WatchDrain start(Path savepoints, boolean cancelling) {
    return WatchDrain.start(
        rest.job(NAME),
        FileSystems.matchNewResource(savepoints.toString(), true),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        errors::add,
        () -> cancelling);
  }

  private void awaitRequest(String request) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!rest.requests().contains(request) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(rest.requests(), hasItem(request));
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void atTheEndOfTimeTheJobIsDrainedAndItsSavepointDeleted() throws Exception {
    rest.answer("GET jobs/" + JOB, 200, running());
    rest.answer("GET jobs/" + JOB, 200, "{\"state\":\"FINISHED\"}");
    watermark("9223372036854775807");
    rest.answer(STOP, 202, "{\"request-id\":\"t1\"}");
    rest.answer(
        "GET jobs/" + JOB + "/savepoints/t1",
        200,
        "{\"status\":{\"id\":\"COMPLETED\"},\"operation\":{\"location\":\"file:/x\"}}");
    Path savepoints = Files.createDirectories(dir.resolve("savepoint"));
    Files.writeString(
        Files.createDirectories(savepoints.resolve("savepoint-1c81ed-5e0d")).resolve("_metadata"),
        "state");

    WatchDrain drain = start(savepoints, false);
    awaitRequest("GET jobs/" + JOB + "/savepoints/t1");
    drain.close();

    assertThat(drain.failed(), is(false));
    assertThat(errors, empty());
    assertThat(err(), startsWith("connbal: the watch has ended: stopping the job " + JOB + " on "));
    assertThat(Files.exists(savepoints), is(false));
  }

  @Test
  void beforeTheEndOfTimeNothingIsStopped() throws Exception {
    rest.answer("GET jobs/" + JOB, 200, running());
    watermark("1796287239307");

    WatchDrain drain = start(dir.resolve("savepoint"), false);
    awaitRequest("GET jobs/" + JOB + "/vertices/v1/watermarks");
    drain.close();

    assertThat(drain.failed(), is(false));
    assertThat(rest.requests(), not(hasItem(STOP)));
    assertThat(err(), is(""));
  }

  @Test
  void aStopThatFailsIsAnErrorAndCancelsTheJob() throws Exception {
    rest.answer("GET jobs/" + JOB, 200, running());
    rest.answer("GET jobs/" + JOB, 200, running());
    rest.answer("GET jobs/" + JOB, 200, "{\"state\":\"CANCELED\"}");
    watermark("9223372036854775807");
    rest.answer(STOP, 400, "{\"errors\":[\"Cannot write the savepoint.\"]}");
    rest.answer(CANCEL, 202, "{}");

    WatchDrain drain = start(dir.resolve("savepoint"), false);
    awaitRequest(CANCEL);
    drain.close();

    assertThat(drain.failed(), is(true));
    assertThat(errors.size(), is(1));
    assertThat(
        errors.get(0),
        startsWith("cannot stop the job " + JOB + " with drain, cancelling it: POST "));
    assertThat(errors.get(0), containsString("HTTP 400: Cannot write the savepoint."));
    assertThat(err(), containsString("connbal: the job " + JOB + " on "));
    assertThat(err(), containsString(" is CANCELED\n"));
  }

  @Test
  void aStopThatAnInterruptEndsIsNoError() throws Exception {
    rest.answer("GET jobs/" + JOB, 200, running());
    watermark("9223372036854775807");
    rest.answer(STOP, 400, "{\"errors\":[\"Job is cancelling.\"]}");

    WatchDrain drain = start(dir.resolve("savepoint"), true);
    awaitRequest(STOP);
    drain.close();

    assertThat(drain.failed(), is(false));
    assertThat(errors, empty());
    assertThat(rest.requests(), not(hasItem(CANCEL)));
    assertThat(
        List.of(err().split("\n")),
        contains(
            "connbal: the watch has ended: stopping the job "
                + JOB
                + " on "
                + rest.job(NAME).cluster()
                + " with drain"));
  }
}
