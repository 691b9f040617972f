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
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.connbal.transforms.testing.Capture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs whose side inputs are large: the SRV knowledge, and the backend table of the all-streams
 * mode, grow with the run. Each once crossed Flink as one record, through the sort of a singleton
 * view's combine, and DNS-heavy runs failed with "The record exceeds the maximum size of a sort
 * buffer". Here Flink's managed memory is made small, so that its sort buffers are smaller than
 * these runs' side inputs (the default ones hold a few MB), and the runs must still give the rows.
 */
class LargeSideInputsTest {
  private static final String NS = "10.0.0.53";
  private static final String BACKEND = "192.168.7.7";
  private static final String SERVICE = "_api._tcp.example.com";
  private static final String TARGET = "node.example.com";
  private static final long T = 1_700_000_000L;
  private static final int FILES = 8;
  private static final int LOOKUPS_PER_FILE = 2_500;
  private static final int CLIENTS_PER_FILE = 2_500;

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
  private String writeSrvCaptures() throws IOException {
    Path dir = Files.createDirectory(tmp.resolve("srv"));
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

  /**
   * {@code FILES} captures of {@code CLIENTS_PER_FILE} clients each, every client resolving its own
   * name once, answered with two addresses (a multi-record answer: both are backends), 40,000
   * (client, backend) pairs in all; the first client of each file then connects to its first
   * backend on 443, once before the answer (not counted) and once after.
   *
   * <p>Derived by hand (SEMANTICS.md "Backends", "All-streams mode"): every pair is listed by one
   * response, #dns 1, named by its client's name; no port is counted but for the first clients'
   * first backends on 443, whose stream after the answer is 1 connection in either mode (the one
   * before the answer precedes the backend's first appearance).
   */
  private String writeBackendCaptures() throws IOException {
    Path dir = Files.createDirectory(tmp.resolve("backends"));
    for (int f = 0; f < FILES; f++) {
      long start = T + f * 10_000L;
      Capture c = Capture.empty();
      for (int i = 0; i < CLIENTS_PER_FILE; i++) {
        String client = client(f, i);
        String name = "host" + (f * CLIENTS_PER_FILE + i) + ".example.com";
        String[] backends = backends(f, i);
        long at = start + i;
        if (i == 0) {
          c = c.then(at, 0, syn(client, 40_001, backends[0], 443, 1));
        }
        c =
            c.then(at, 100, dnsQuery(client, 30_000, NS, i & 0xffff, name, TYPE_A))
                .then(
                    at,
                    200,
                    dnsResponse(
                        client,
                        30_000,
                        NS,
                        i & 0xffff,
                        name,
                        TYPE_A,
                        a(name, backends[0]),
                        a(name, backends[1])));
        if (i == 0) {
          c = c.then(at, 300, syn(client, 40_002, backends[0], 443, 2));
        }
      }
      c.writeTo(dir.resolve("part-" + f + ".snoop"));
    }
    return dir.resolve("*.snoop").toString();
  }

  private static String client(int file, int i) {
    return "10." + (10 + file) + "." + (i / 250) + "." + (i % 250 + 1);
  }

  private static String[] backends(int file, int i) {
    return new String[] {
      "172.16." + (i / 250) + "." + (i % 250 + 1), "172.17." + (i / 250) + "." + (i % 250 + 1)
    };
  }

  /** Embedded Flink whose sort buffers are smaller than these runs' side inputs. */
  private FlinkPipelineOptions smallSortBuffers() throws IOException {
    Path conf = Files.createDirectories(tmp.resolve("flink-conf"));
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
    return options;
  }

  @Test
  void aRunWithMoreSrvKnowledgeThanFlinksSortBuffersHoldGivesItsRows() throws IOException {
    String captures = writeSrvCaptures();
    String expected = line("010.001.000.008", "192.168.007.007:443", 1, 1, SERVICE + ".");

    ConnBalRun.Output direct = ConnBalRun.direct(captures, ConnBal.analyze(), tmp);
    assertThat(direct.tsv(), equalTo(expected));
    ConnBalRun.Output flink = ConnBalRun.run(smallSortBuffers(), captures, ConnBal.analyze(), tmp);
    assertThat(flink.tsv(), equalTo(expected));
    assertThat(flink.report(), equalTo(direct.report()));
  }

  @Test
  void anAllStreamsRunWithALargerBackendTableThanFlinksSortBuffersHoldGivesItsRows()
      throws IOException {
    String captures = writeBackendCaptures();
    ConnBal.Analyze analyze = ConnBal.analyze().withAllStreams(true);
    ConnBalRun.Output direct = ConnBalRun.direct(captures, analyze, tmp);
    List<String> lines = direct.tsv().lines().toList();
    assertThat(lines.size(), equalTo(2 * FILES * CLIENTS_PER_FILE));
    // The first client of the first file, and a client with no connection, from the comment above.
    assertThat(
        lines.get(0) + "\n" + lines.get(1) + "\n",
        equalTo(
            line("010.010.000.001", "172.016.000.001:443", 1, 1, "host0.example.com.")
                + line("010.010.000.001", "172.017.000.001:?", 0, 1, "host0.example.com.")));
    assertThat(
        direct.tsv(),
        containsString(line("010.010.001.007", "172.017.001.007:?", 0, 1, "host256.example.com.")));

    ConnBalRun.Output flink = ConnBalRun.run(smallSortBuffers(), captures, analyze, tmp);
    assertThat(flink.tsv(), equalTo(direct.tsv()));
    assertThat(flink.report(), equalTo(direct.report()));
  }
}
