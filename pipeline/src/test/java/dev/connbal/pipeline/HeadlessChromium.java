package dev.connbal.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's chromium, started headless by a test and driven over the Chrome DevTools Protocol (a
 * WebSocket, {@code java.net.http}): navigate, evaluate script, take a screenshot, and see what the
 * page logged, threw and fetched. One page, the browser's first tab.
 */
final class HeadlessChromium implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final Process process;
  private final Path profile;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final List<JsonNode> events = new ArrayList<>();

  /** The chromium binary on PATH, or null when there is none. */
  static Path binary() {
    String path = System.getenv().getOrDefault("PATH", "");
    return Stream.of(path.split(":"))
        .map(dir -> Path.of(dir, "chromium"))
        .filter(Files::isExecutable)
        .findFirst()
        .orElse(null);
  }

  /**
   * Skips the calling test when there is no chromium, saying how to get it (CI installs it, so
   * there the browser tests run).
   */
  static void assumeInstalled() {
    Assumptions.assumeTrue(
        binary() != null,
        "no chromium on PATH: scripts/install-test-deps installs Debian's chromium package,"
            + " which the report's browser tests need; skipped");
  }

  private HeadlessChromium(Process process, Path profile, WebSocket socket) {
    this.process = process;
    this.profile = profile;
    this.socket = socket;
  }

  /** Starts chromium with a fresh profile and a window of {@code width} x {@code height}. */
  static HeadlessChromium start(int width, int height) throws Exception {
    Path binary = binary();
    if (binary == null) {
      throw new IllegalStateException("no chromium on PATH (scripts/install-test-deps)");
    }
    Path profile = Files.createTempDirectory("connbal-chromium-");
    Process process =
        new ProcessBuilder(
                binary.toString(),
                "--headless",
                // Tests run as root in CI containers, where the sandbox cannot start.
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-extensions",
                "--disable-background-networking",
                "--hide-scrollbars",
                "--window-size=" + width + "," + height,
                "--user-data-dir=" + profile,
                "--remote-debugging-port=0",
                "about:blank")
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      String browserUrl = devToolsUrl(process);
      URI browser = URI.create(browserUrl);
      HttpClient http = HttpClient.newHttpClient();
      String list =
          http.send(
                  HttpRequest.newBuilder(
                          URI.create("http://" + browser.getAuthority() + "/json/list"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      String pageUrl = null;
      for (JsonNode target : JSON.readTree(list)) {
        if ("page".equals(target.path("type").asText())) {
          pageUrl = target.get("webSocketDebuggerUrl").asText();
          break;
        }
      }
      if (pageUrl == null) {
        throw new IllegalStateException("chromium shows no page: " + list);
      }
      Listener listener = new Listener();
      WebSocket socket =
          http.newWebSocketBuilder()
              .buildAsync(URI.create(pageUrl), listener)
              .get(WAIT.toSeconds(), TimeUnit.SECONDS);
      HeadlessChromium chromium = new HeadlessChromium(process, profile, socket);
      listener.chromium = chromium;
      for (String domain : List.of("Runtime", "Log", "Page", "Network")) {
        chromium.send(domain + ".enable", JSON.createObjectNode());
      }
      return chromium;
    } catch (Exception | Error e) {
      process.destroyForcibly();
      throw e;
    }
  }

  /** Reads chromium's stderr up to the line naming its DevTools address, then drains the rest. */
  private static String devToolsUrl(Process process) throws Exception {
    BufferedReader err =
        new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> url = new CompletableFuture<>();
    StringBuilder seen = new StringBuilder();
    Thread reader =
        new Thread(
            () -> {
              try {
                String line;
                while ((line = err.readLine()) != null) {
                  Matcher m = LISTENING.matcher(line);
                  if (m.find()) {
                    url.complete(m.group(1));
                  } else if (!url.isDone()) {
                    seen.append(line).append('\n');
                  }
                }
              } catch (IOException e) {
                // The process ended.
              }
              url.completeExceptionally(
                  new IllegalStateException("chromium ended before DevTools listened:\n" + seen));
            },
            "chromium-stderr");
    reader.setDaemon(true);
    reader.start();
    return url.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  /** Sends a DevTools command and waits for its result. */
  JsonNode send(String method, ObjectNode params) throws Exception {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonNode> result = new CompletableFuture<>();
    pending.put(id, result);
    ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
    message.set("params", params);
    socket.sendText(JSON.writeValueAsString(message), true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    JsonNode answer = result.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    if (answer.has("error")) {
      throw new IllegalStateException(method + " failed: " + answer.get("error"));
    }
    return answer.get("result");
  }

  /**
   * Opens {@code url} and waits for its load event.
   *
   * @return the milliseconds from the command to the load event, as the test's clock measures
   */
  double navigate(String url) throws Exception {
    int before = eventCount();
    long start = System.nanoTime();
    send("Page.navigate", JSON.createObjectNode().put("url", url));
    awaitEvent(before, e -> "Page.loadEventFired".equals(e.path("method").asText()));
    return (System.nanoTime() - start) / 1e6;
  }

  /** Evaluates {@code expression} in the page; its value (returned by value: JSON-like values). */
  JsonNode evaluate(String expression) throws Exception {
    JsonNode result =
        send(
            "Runtime.evaluate",
            JSON.createObjectNode()
                .put("expression", expression)
                .put("returnByValue", true)
                .put("awaitPromise", true));
    if (result.has("exceptionDetails")) {
      throw new IllegalStateException(
          "the page threw on " + expression + ": " + result.get("exceptionDetails"));
    }
    return result.path("result").path("value");
  }

  /** A PNG of the whole page (beyond the window), written to {@code file}. */
  void screenshot(Path file) throws Exception {
    JsonNode size = send("Page.getLayoutMetrics", JSON.createObjectNode()).get("cssContentSize");
    ObjectNode params =
        JSON.createObjectNode().put("format", "png").put("captureBeyondViewport", true);
    params
        .putObject("clip")
        .put("x", 0)
        .put("y", 0)
        .put("width", size.get("width").asDouble())
        .put("height", size.get("height").asDouble())
        .put("scale", 1);
    JsonNode shot = send("Page.captureScreenshot", params);
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.write(file, Base64.getDecoder().decode(shot.get("data").asText()));
  }

  /**
   * What the page reported as wrong: console.error and console.assert calls, uncaught exceptions,
   * and the browser's own error entries (a failed load, a blocked request, a bad script).
   */
  synchronized List<String> errors() {
    List<String> errors = new ArrayList<>();
    for (JsonNode e : events) {
      String method = e.path("method").asText();
      JsonNode p = e.path("params");
      if ("Runtime.consoleAPICalled".equals(method)
          && List.of("error", "assert").contains(p.path("type").asText())) {
        errors.add("console." + p.path("type").asText() + ": " + p.path("args"));
      } else if ("Runtime.exceptionThrown".equals(method)) {
        errors.add("exception: " + p.path("exceptionDetails"));
      } else if ("Log.entryAdded".equals(method)
          && "error".equals(p.path("entry").path("level").asText())) {
        errors.add("log: " + p.path("entry"));
      }
    }
    return errors;
  }

  /** The URLs of every request the page made (the document's own included). */
  synchronized List<String> requests() {
    List<String> urls = new ArrayList<>();
    for (JsonNode e : events) {
      if ("Network.requestWillBeSent".equals(e.path("method").asText())) {
        urls.add(e.path("params").path("request").path("url").asText());
      }
    }
    return urls;
  }

  private synchronized int eventCount() {
    return events.size();
  }

  private synchronized void awaitEvent(int from, Predicate<JsonNode> wanted) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      for (int i = from; i < events.size(); i++) {
        if (wanted.test(events.get(i))) {
          return;
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new IllegalStateException("chromium sent no such event within " + WAIT);
      }
      wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
    }
  }

  private void received(String text) {
    JsonNode message;
    try {
      message = JSON.readTree(text);
    } catch (IOException e) {
      throw new IllegalStateException("not JSON from chromium: " + text, e);
    }
    if (message.has("id")) {
      CompletableFuture<JsonNode> result = pending.remove(message.get("id").asInt());
      if (result != null) {
        result.complete(message);
      }
      return;
    }
    synchronized (this) {
      events.add(message);
      notifyAll();
    }
  }

  @Override
  public void close() throws Exception {
    try {
      socket.abort();
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } finally {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** Puts the WebSocket's text frames back together into messages. */
  private static final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();
    private volatile HeadlessChromium chromium;

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        if (chromium != null) {
          chromium.received(text);
        }
      }
      webSocket.request(1);
      return null;
    }
  }
}
