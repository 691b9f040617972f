package dev.connbal.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

import dev.connbal.transforms.ConnBalRow;
import dev.connbal.transforms.output.IpFormat;
import dev.connbal.transforms.summary.BalanceSummarizer;
import dev.connbal.transforms.summary.HtmlReport;
import dev.connbal.transforms.summary.Summary;
import dev.connbal.transforms.testing.DocumentsOf;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The report of {@value #CLIENTS} generated clients, each with an address-record name of 3 backends
 * and an SRV name of 4 targets (two priorities), made by {@link Summary} on the Direct runner and
 * opened in headless chromium: the file's size and how long the page takes to show its first
 * charts, printed and written to target/report-scale/results.txt (bench/RESULTS.md keeps the
 * figures). The bound asserted is a sanity bound far above the measured time, not a benchmark.
 */
class HtmlReportScaleIT {
  static final int CLIENTS = 10_000;
  private static final Path OUT = Path.of("target/report-scale");

  @BeforeAll
  static void needsChromium() {
    HeadlessChromium.assumeInstalled();
  }

  @Test
  void reportOfTenThousandClientsOpensInAboutASecond() throws Exception {
    List<ConnBalRow> rows = rows(CLIENTS);
    // Three runs: the first in this JVM pays for loading and compiling Beam's Direct runner too.
    List<String> pipelineMillis = new ArrayList<>();
    String html = null;
    for (int i = 0; i < 3; i++) {
      long start = System.nanoTime();
      html = summarizeAndRender(CLIENTS);
      pipelineMillis.add(String.format(Locale.ROOT, "%.0f ms", (System.nanoTime() - start) / 1e6));
    }
    long start = System.nanoTime();
    String again = HtmlReport.render(BalanceSummarizer.summarizeAll(rows), IpFormat.PADDED);
    double coreMillis = (System.nanoTime() - start) / 1e6;
    assertThat(again, equalTo(html));
    Files.createDirectories(OUT);
    Path report = OUT.resolve("report-" + CLIENTS + "-clients.html");
    Files.writeString(report, html);
    long bytes = Files.size(report);

    try (HeadlessChromium chromium = HeadlessChromium.start(1200, 900)) {
      // Three loads: the first pays for a cold browser process as well.
      List<String> loads = new ArrayList<>();
      double renderedAt = 0;
      for (int i = 0; i < 3; i++) {
        double navigateMillis = chromium.navigate(report.toAbsolutePath().toUri().toString());
        renderedAt =
            chromium
                .evaluate("performance.getEntriesByName('connbal-rendered')[0].startTime")
                .asDouble();
        double loadEventEnd =
            chromium
                .evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
                .asDouble();
        loads.add(
            String.format(
                Locale.ROOT,
                "first charts %.0f ms, load event end %.0f ms, navigate to load event %.0f ms",
                renderedAt,
                loadEventEnd,
                navigateMillis));
      }
      assertThat(
          HtmlReportIT.texts(
              chromium.evaluate(
                  "[...document.querySelectorAll('#names td.name')].map(td => td.textContent)")),
          contains("web.scale.test.", "_api._tcp.scale.test."));
      // The first page: 50 clients of web.scale.test., 3 bars each.
      assertThat(
          chromium.evaluate("document.querySelectorAll('#clients .client').length").asInt(),
          is(50));
      assertThat(
          chromium.evaluate("document.querySelectorAll('rect.bar').length").asInt(), is(150));
      double nextPageMillis =
          chromium
              .evaluate(
                  "(() => { const t = performance.now();"
                      + " document.getElementById('clients-next').click();"
                      + " return performance.now() - t; })()")
              .asDouble();
      double filterMillis =
          chromium
              .evaluate(
                  "(() => { const t = performance.now(); const s ="
                      + " document.getElementById('verdict-filter'); s.value = 'uneven';"
                      + " s.dispatchEvent(new Event('change')); return performance.now() - t; })()")
              .asDouble();
      // Clients 6, 16, 26...: a thousand skewed ones, all uneven.
      assertThat(
          chromium.evaluate("document.getElementById('clients-page').textContent").asText(),
          equalTo("page 1 of 20 (1000)"));
      chromium.evaluate(
          "(() => { const s = document.getElementById('verdict-filter'); s.value = '';"
              + " s.dispatchEvent(new Event('change')); })()");
      double otherNameMillis =
          chromium
              .evaluate(
                  "(() => { const t = performance.now();"
                      + " document.querySelectorAll('#names tbody tr')[1].click();"
                      + " return performance.now() - t; })()")
              .asDouble();
      chromium.screenshot(OUT.resolve("report-" + CLIENTS + "-clients.png"));
      assertThat(chromium.errors(), empty());

      String results =
          String.format(
              Locale.ROOT,
              "report of %d clients (%d client and name pairs): %d bytes (%.1f MiB)%n"
                  + "  summaries and page without Beam (BalanceSummarizer, HtmlReport): %.0f ms%n"
                  + "  Summary.summarize() + Summary.html() on the Direct runner, %d rows generated"
                  + " in the pipeline, three runs: %s%n"
                  + "  chromium, after navigation start: %s%n"
                  + "  next page of 50 clients %.1f ms, verdict filter %.1f ms,"
                  + " other name %.1f ms%n",
              CLIENTS,
              2 * CLIENTS,
              bytes,
              bytes / 1048576.0,
              coreMillis,
              rows.size(),
              String.join(", ", pipelineMillis),
              String.join("; ", loads),
              nextPageMillis,
              filterMillis,
              otherNameMillis);
      System.out.print(results);
      Files.writeString(OUT.resolve("results.txt"), results, StandardCharsets.UTF_8);
      assertThat("sanity bound, not a benchmark", renderedAt, lessThan(15_000.0));
    }
  }

  /** The rows of clients 0 to {@code clients} - 1 ({@link #rowsOf}). */
  static List<ConnBalRow> rows(int clients) {
    List<ConnBalRow> rows = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      rows.addAll(rowsOf(i));
    }
    return rows;
  }

  /**
   * Client i (10.a.b.c): web.scale.test., backends 10.1.0.1-3 on 443, by i % 10: 0-5 about 12
   * connections spread at random, 6 skewed (24, 3, 3), 7 one unused (8, 8, 0), 8 one lookup per
   * connection, 9 no connection; and _api._tcp.scale.test., targets 10.2.0.1-3 of priority 10
   * (weights 60, 20, 20) and a backup 10.2.0.4 of priority 20, 20 connections drawn by weight.
   */
  static List<ConnBalRow> rowsOf(int i) {
    Random random = new Random(i);
    List<ConnBalRow> rows = new ArrayList<>();
    String client = "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255);
    long[] web = new long[3];
    long webDns = 2;
    switch (i % 10) {
      case 6 -> web = new long[] {24, 3, 3};
      case 7 -> web = new long[] {8, 8, 0};
      case 8 -> {
        web = new long[] {4, 4, 4};
        webDns = 12;
      }
      case 9 -> web = new long[] {0, 0, 0};
      default -> {
        for (int c = 0; c < 12; c++) {
          web[random.nextInt(3)]++;
        }
      }
    }
    for (int b = 0; b < 3; b++) {
      rows.add(
          ConnBalRow.builder()
              .setClient(client)
              .setBackend("10.1.0." + (b + 1))
              .setPort(web[b] == 0 ? null : 443)
              .setConns(web[b])
              .setDns(webDns)
              .setName("web.scale.test.")
              .build());
    }
    int[] weights = {60, 20, 20};
    long[] api = new long[4];
    for (int c = 0; c < 20; c++) {
      int r = random.nextInt(100);
      api[r < 60 ? 0 : r < 80 ? 1 : 2]++;
    }
    for (int t = 0; t < 4; t++) {
      rows.add(
          ConnBalRow.builder()
              .setClient(client)
              .setBackend("10.2.0." + (t + 1))
              .setPort(8443)
              .setConns(api[t])
              .setDns(1)
              .setName("_api._tcp.scale.test.")
              .setSrvPriority(t < 3 ? 10 : 20)
              .setSrvWeight(t < 3 ? weights[t] : 100)
              .build());
    }
    return rows;
  }

  /**
   * The report made in a pipeline, the rows generated in it a hundred clients per element (a Create
   * of all the rows would measure Create's own serialization).
   */
  private static String summarizeAndRender(int clients) throws Exception {
    ConnBalOptions options = PipelineOptionsFactory.as(ConnBalOptions.class);
    options.setRunner(DirectRunner.class);
    // As the command runs it: no per-element checks, a few shards per thread.
    RunnerDefaults.apply(options, List.of(), false, false, 0, 1);
    Pipeline p = Pipeline.create(options);
    List<Integer> blocks = new ArrayList<>();
    for (int b = 0; b * 100 < clients; b++) {
      blocks.add(b);
    }
    return DocumentsOf.runOne(
        p.apply(Create.of(blocks))
            .apply("Rows", ParDo.of(new RowsFn(clients)))
            .setCoder(p.getSchemaRegistry().getSchemaCoder(ConnBalRow.class))
            .apply("Summarize", Summary.summarize().withShardCount(options.getShardCount()))
            .apply("Report", Summary.html(IpFormat.PADDED)));
  }

  /** The rows of clients 100 b to 100 b + 99 (below the count). */
  private static final class RowsFn extends DoFn<Integer, ConnBalRow> {
    private final int clients;

    RowsFn(int clients) {
      this.clients = clients;
    }

    @ProcessElement
    public void process(@Element Integer block, OutputReceiver<ConnBalRow> out) {
      for (int i = block * 100; i < Math.min(clients, block * 100 + 100); i++) {
        rowsOf(i).forEach(out::output);
      }
    }
  }
}
