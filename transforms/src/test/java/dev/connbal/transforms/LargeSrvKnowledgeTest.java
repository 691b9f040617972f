package dev.connbal.transforms;

import static dev.connbal.transforms.ConnBalSemanticsTest.line;
import static dev.connbal.transforms.testing.Packets.TYPE_A;
import static dev.connbal.transforms.testing.Packets.TYPE_SRV;
import static dev.connbal.transforms.testing.Packets.a;
import static dev.connbal.transforms.testing.Packets.dnsQuery;
import static dev.connbal.transforms.testing.Packets.dnsResponse;
import static dev.connbal.transforms.testing.Packets.srv;
import static dev.connbal.transforms.testing.Packets.syn;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.connbal.transforms.testing.Capture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run whose SRV knowledge is large: every answer of an SRV name that clients look up again and
 * again is kept (at the lowest priority, any of them may decide as of some response), so the
 * knowledge grows with the run. It once crossed Flink as one record, through the sort of a
 * singleton view's combine, and a DNS-heavy run failed with "The record exceeds the maximum size of
 * a sort buffer". Here Flink's managed memory is made small, so that its sort buffers are smaller
 * than this run's knowledge (the default ones hold a few MB), and the run must still give the rows.
 */
class LargeSrvKnowledgeTest {
  private static final String NS = "10.0.0.53";
  private static final String BACKEND = "192.168.7.7";
  private static final String SERVICE = "_api._tcp.example.com";
  private static final String TARGET = "node.example.com";
  private static final long T = 1_700_000_000L;
  private static final int FILES = 8;
  private static final int LOOKUPS_PER_FILE = 2_500;

  @TempDir Path tmp;

  /**
   * {@code FILES} captures, one client each (so the clients fall in several timeline shards), each
   * looking up {@code SERVICE} {@code LOOKUPS_PER_FILE} times; the SRV answers name {@code TARGET}
   * on port 443, all at priority 10. The last client then resolves {@code TARGET} by A record
   * ({@code BACKEND}) and connects to it on 443 once.
   *
   * <p>Derived by hand (SEMANTICS.md "Backends"): the A answer is the one response listing {@code
   * BACKEND}, a backend because its owner is a known SRV target (one record would not do
   * otherwise), so its #dns is 1; it belongs to {@code SERVICE}, which names it, on port 443,
   * learnt from the SRV answers (any client's); the SYN after the A answer is one connection.
   */
  private String writeCaptures() throws IOException {
    Path dir = Files.createDirectory(tmp.resolve("captures"));
    for (int f = 0; f < FILES; f++) {
      String client = "10.1.0." + (f + 1);
      long start = T + f * 10_000L;
      Capture c = Capture.empty();
      for (int i = 0; i < LOOKUPS_PER_FILE; i++) {
        int id = i & 0xffff;
        int port = 20_000 + (i % 40_000);
        c =
            c.then(start + i, 0, dnsQuery(client, port, NS, id, SERVICE, TYPE_SRV))
                .then(
                    start + i,
                    500,
                    dnsResponse(
                        client, port, NS, id, SERVICE, TYPE_SRV, srv(SERVICE, TARGET, 443)));
      }
      if (f == FILES - 1) {
        long at = start + LOOKUPS_PER_FILE;
        c =
            c.then(at, 0, dnsQuery(client, 53_000, NS, 1, TARGET, TYPE_A))
                .then(
                    at, 500, dnsResponse(client, 53_000, NS, 1, TARGET, TYPE_A, a(TARGET, BACKEND)))
                .then(at, 900, syn(client, 54_000, BACKEND, 443, 1));
      }
      c.writeTo(dir.resolve("part-" + f + ".snoop"));
    }
    return dir.resolve("*.snoop").toString();
  }

  @Test
  void aRunWithMoreSrvKnowledgeThanFlinksSortBuffersHoldGivesItsRows() throws IOException {
    String captures = writeCaptures();
    String expected = line("010.001.000.008", "192.168.007.007:443", 1, 1, SERVICE + ".");

    ConnBalRun.Output direct = ConnBalRun.direct(captures, ConnBal.analyze(), tmp);
    assertThat(direct.tsv(), equalTo(expected));

    Path conf = Files.createDirectory(tmp.resolve("flink-conf"));
    Files.writeString(
        conf.resolve("config.yaml"),
        "taskmanager.memory.managed.size: 32mb\n"
            + "taskmanager.memory.network.min: 64mb\n"
            + "taskmanager.memory.network.max: 64mb\n");
    FlinkPipelineOptions options = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    options.setRunner(FlinkRunner.class);
    options.setFlinkMaster("[local]");
    options.setParallelism(2);
    options.setFlinkConfDir(conf.toString());
    ConnBalRun.Output flink = ConnBalRun.run(options, captures, ConnBal.analyze(), tmp);
    assertThat(flink.tsv(), equalTo(expected));
    assertThat(flink.report(), equalTo(direct.report()));
  }
}
