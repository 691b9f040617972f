package dev.connbal.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import dev.connbal.snoop.SnoopWriter;
import dev.connbal.transforms.testing.Packets;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale sanity (not timed): one backend receiving about a million SYNs is counted exactly within
 * the test JVM's -Xmx2g, because attempts are combined and counted, never listed per backend.
 */
class ScaleSanityTest {
  private static final int ATTEMPTS = 1_000_000;
  private static final int RETRANSMIT_EVERY = 50;
  /** Offsets in an untagged Ethernet + IPv4 (no options) + TCP frame. */
  private static final int TCP_SRC_PORT = 14 + 20;
  private static final int TCP_SEQ = 14 + 20 + 4;

  @TempDir Path tmp;

  @Test
  void millionSynsToOneBackendAreCountedExactly() throws IOException {
    Path dir = Files.createDirectory(tmp.resolve("in"));
    long t = 1_700_000_000L;
    byte[] syn = Packets.syn("10.0.0.1", 1024, "192.168.1.1", 443, 0);
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(dir.resolve("big.snoop")), 1 << 20)) {
      SnoopWriter w = SnoopWriter.ethernet(out);
      w.write(t, 0, Packets.dnsQuery("10.0.0.1", 5353, "10.0.0.53", 1, "big.example.com", Packets.TYPE_A));
      w.write(
          t,
          1,
          Packets.dnsResponse(
              "10.0.0.1", 5353, "10.0.0.53", 1, "big.example.com", Packets.TYPE_A,
              Packets.a("big.example.com", "192.168.1.1"), Packets.a("big.example.com", "192.168.1.2")));
      for (int i = 0; i < ATTEMPTS; i++) {
        // The checksums go stale; the decoder, like the analysis, does not read them.
        int port = 1024 + i % 60_000;
        long seq = i / 60_000;
        syn[TCP_SRC_PORT] = (byte) (port >>> 8);
        syn[TCP_SRC_PORT + 1] = (byte) port;
        syn[TCP_SEQ + 2] = (byte) (seq >>> 8);
        syn[TCP_SEQ + 3] = (byte) seq;
        long micros = 10 + (long) i * 3;
        w.write(t + micros / 1_000_000, (int) (micros % 1_000_000), syn);
        if (i % RETRANSMIT_EVERY == 0) {
          w.write(t + 1 + micros / 1_000_000, (int) (micros % 1_000_000), syn);
        }
      }
    }
    ConnBalRun.Output out =
        ConnBalRun.run(
            ConnBalRun.fastDirectOptions(),
            dir.resolve("*").toString(),
            ConnBal.analyze().withDesiredSplitSize(8 << 20),
            tmp);
    assertThat(
        out.tsv(),
        equalTo(
            "010.000.000.001\t192.168.001.001:443\t" + ATTEMPTS + "\t1\tbig.example.com.\n"
                + "010.000.000.001\t192.168.001.002:?\t0\t1\tbig.example.com.\n"));
    assertThat(out.report().packets(), is(2L + ATTEMPTS + ATTEMPTS / RETRANSMIT_EVERY));
  }
}
