package dev.connbal.pipeline;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small fake of Flink's REST API on the loopback address: each method and path ({@code "GET
 * jobs/overview"}) is answered with the answers given for it, in order, the last one repeated; any
 * other with 404. Keeps every request and its body.
 */
final class FakeFlinkRest implements AutoCloseable {
  private final HttpServer server;
  private final Map<String, Deque<String[]>> answers = new HashMap<>();
  private final List<String> requests = new ArrayList<>();
  private final List<String> bodies = new ArrayList<>();

  FakeFlinkRest() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String key =
              exchange.getRequestMethod() + " " + exchange.getRequestURI().toString().substring(1);
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          String[] answer;
          synchronized (this) {
            requests.add(key);
            bodies.add(body);
            Deque<String[]> queue = answers.get(key);
            answer =
                queue == null
                    ? new String[] {"404", "{\"errors\":[\"Not found: /" + key + "\"]}"}
                    : queue.size() > 1 ? queue.poll() : queue.peek();
          }
          byte[] bytes = answer[1].getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(Integer.parseInt(answer[0]), bytes.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
          }
        });
    server.start();
  }

  /**
   * Answers {@code key} ("GET jobs/...") with {@code status} and {@code body}, after earlier ones.
   */
  synchronized void answer(String key, int status, String body) {
    answers.computeIfAbsent(key, k -> new ArrayDeque<>()).add(new String[] {"" + status, body});
  }

  /** The requests so far, as "METHOD path". */
  synchronized List<String> requests() {
    return List.copyOf(requests);
  }

  /** The body of the first request {@code key}. */
  synchronized String body(String key) {
    return bodies.get(requests.indexOf(key));
  }

  /** The job named {@code jobName} on this fake. */
  ClusterJob job(String jobName) {
    return ClusterJob.of("localhost:" + server.getAddress().getPort(), jobName);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
