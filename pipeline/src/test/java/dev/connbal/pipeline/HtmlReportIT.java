package dev.connbal.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import dev.connbal.transforms.ConnBalRow;
import dev.connbal.transforms.output.IpFormat;
import dev.connbal.transforms.summary.BalanceSummarizer;
import dev.connbal.transforms.summary.HtmlReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code --report} page in a real browser: Debian's chromium, headless, started by the test
 * ({@link HeadlessChromium}). On the bundled real capture the page loads without an error in the
 * console, fetches nothing but itself, and draws one bar per row of the hand-derived expected.tsv
 * with the row's connections, heights in proportion; a screenshot is kept in
 * target/report-screenshots (the README's docs/report-example.png is one).
 */
class HtmlReportIT {
  private static final Path REAL_CAPTURE = Path.of("../examples/real-capture/capture.snoop");
  private static final Path REAL_EXPECTED = Path.of("../examples/real-capture/expected.tsv");
  static final Path SCREENSHOTS = Path.of("target/report-screenshots");

  /** Every bar of the shown charts: client, backend label, connections, name, height, scale. */
  private static final String BARS =
      "Array.from(document.querySelectorAll('#clients .client')).flatMap(box => {"
          + " const name = document.querySelector('#names tr.selected td.name').textContent;"
          + " const bars = Array.from(box.querySelectorAll('svg rect.bar'));"
          + " const expected = Array.from(box.querySelectorAll('svg line.expected'));"
          + " const top = Math.max(...bars.map(b => Number(b.dataset.conns)),"
          + "   ...bars.map(b => Number(b.dataset.expected)));"
          + " return bars.map(b => [box.dataset.client, b.dataset.backend, b.dataset.conns, name,"
          + "   Number(b.getAttribute('height')), 100 * Number(b.dataset.conns) / top,"
          + "   Number(b.dataset.expected).toFixed(3), expected.length].join('\\t')); })";

  @TempDir Path work;

  @BeforeAll
  static void needsChromium() {
    HeadlessChromium.assumeInstalled();
  }

  @Test
  void realCaptureReportDrawsABarPerRowWithoutErrors() throws Exception {
    Path report = work.resolve("real-capture.html");
    CommandOutcome run = CommandOutcome.run("-f", REAL_CAPTURE.toString(), "--report=" + report);
    assertThat(run.toString(), run.exitCode, is(0));

    try (HeadlessChromium chromium = HeadlessChromium.start(1100, 900)) {
      chromium.navigate(report.toUri().toString());
      assertThat(
          chromium.evaluate("document.documentElement.dataset.rendered").asText(), is("true"));
      // DERIVATION.md section 7: _http._tcp misplaces 0.5 of 5 connections (10 %), web 0.67 of 8.
      assertThat(
          texts(
              chromium.evaluate(
                  "[...document.querySelectorAll('#names td.name')].map(td => td.textContent)")),
          contains("_http._tcp.lb.test.", "web.lb.test."));

      List<String> bars = new ArrayList<>();
      Map<String, String> verdicts = new HashMap<>();
      for (int i = 0; i < 2; i++) {
        chromium.evaluate("document.querySelectorAll('#names tbody tr')[" + i + "].click()");
        for (String bar : texts(chromium.evaluate(BARS))) {
          String[] f = bar.split("\t");
          // The bar's height is its connections on the chart's scale (the tallest of the
          // connections and expected counts is 100 px).
          assertThat(bar, Double.parseDouble(f[4]), closeTo(Double.parseDouble(f[5]), 1e-6));
          bars.add(String.join("\t", f[0], f[1], f[2], f[3], f[6], f[7]));
        }
        for (String v :
            texts(
                chromium.evaluate(
                    "[...document.querySelectorAll('#clients .client')].map(b => b.dataset.client"
                        + " + ' ' + document.querySelector('#detail-title').textContent.split(':')[0]"
                        + " + '\\t' + [...b.querySelectorAll('.verdict')].map(s => s.textContent)"
                        + ".join(','))"))) {
          verdicts.put(v.split("\t")[0], v.split("\t")[1]);
        }
      }

      // One bar per row of expected.tsv (client, backend:port, #conns, name), each with the
      // expected connections of DERIVATION.md section 7 and one dashed line per bar.
      List<String> expected = new ArrayList<>();
      Map<String, String> expectedCount =
          Map.of(
              "198.018.000.010 web.lb.test.", "1.667\t3",
              "198.018.000.010 _http._tcp.lb.test.", "1.500\t2",
              "198.018.000.011 web.lb.test.", "1.000\t3",
              "198.018.000.011 _http._tcp.lb.test.", "2.000\t1");
      for (String line : Files.readAllLines(REAL_EXPECTED)) {
        String[] c = line.split("\t");
        expected.add(
            String.join("\t", c[0], c[1], c[2], c[4], expectedCount.get(c[0] + " " + c[4])));
      }
      assertThat(bars.stream().sorted().toList(), equalTo(expected.stream().sorted().toList()));
      assertThat(
          verdicts,
          equalTo(
              Map.of(
                  "198.018.000.010 web.lb.test.", "even",
                  "198.018.000.010 _http._tcp.lb.test.", "even",
                  "198.018.000.011 web.lb.test.", "re-resolves",
                  "198.018.000.011 _http._tcp.lb.test.", "even")));

      chromium.evaluate("document.querySelectorAll('#names tbody tr')[1].click()");
      Path shot = SCREENSHOTS.resolve("real-capture.png");
      chromium.screenshot(shot);
      assertThat(Files.size(shot), greaterThan(10_000L));
      assertThat(chromium.errors(), empty());
      assertThat(chromium.requests(), contains(report.toUri().toString()));
    }
  }

  @Test
  void namesThatLookLikeMarkupStayText() throws Exception {
    // A DNS name may hold any printable byte; connbal's presentation form escapes only \ and .
    String hostile = "</script><img src=x onerror=\"console.error(1)\">&amp;'\\\\.x.";
    List<ConnBalRow> rows = new ArrayList<>();
    for (String backend : List.of("10.0.1.1", "10.0.1.2")) {
      rows.add(
          ConnBalRow.builder()
              .setClient("10.0.0.1")
              .setBackend(backend)
              .setPort(80)
              .setConns(1)
              .setDns(1)
              .setName(hostile)
              .build());
    }
    Path report = work.resolve("hostile.html");
    Files.writeString(
        report, HtmlReport.render(BalanceSummarizer.summarizeAll(rows), IpFormat.PLAIN));

    try (HeadlessChromium chromium = HeadlessChromium.start(1100, 900)) {
      chromium.navigate(report.toUri().toString());
      assertThat(
          chromium.evaluate("document.documentElement.dataset.rendered").asText(), is("true"));
      assertThat(
          chromium.evaluate("document.querySelector('#names td.name').textContent").asText(),
          equalTo(hostile));
      assertThat(chromium.evaluate("document.querySelectorAll('img').length").asInt(), is(0));
      assertThat(chromium.evaluate("document.querySelectorAll('rect.bar').length").asInt(), is(2));
      assertThat(chromium.errors(), empty());
      assertThat(chromium.requests(), contains(report.toUri().toString()));
    }
  }

  static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(n -> texts.add(n.asText()));
    return texts;
  }
}
