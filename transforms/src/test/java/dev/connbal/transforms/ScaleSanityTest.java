package dev.connbal.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import dev.connbal.snoop.SnoopWriter;
import dev.connbal.transforms.output.IpFormat;
import dev.connbal.transforms.testing.Packets;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale sanity (not timed): one backend receiving about a million SYNs is counted exactly within
 * the test JVM's -Xmx2g, because attempts are counted, never listed per backend; and many (client,
 * backend) pairs do not turn into as many shuffle keys: the distinct keys of every shuffle of the
 * run are counted ({@link ShuffleKeys}).
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
    try (OutputStream out =
        new BufferedOutputStream(Files.newOutputStream(dir.resolve("big.snoop")), 1 << 20)) {
      SnoopWriter w = SnoopWriter.ethernet(out);
      w.write(
          t,
          0,
          Packets.dnsQuery("10.0.0.1", 5353, "10.0.0.53", 1, "big.example.com", Packets.TYPE_A));
      w.write(
          t,
          1,
          Packets.dnsResponse(
              "10.0.0.1",
              5353,
              "10.0.0.53",
              1,
              "big.example.com",
              Packets.TYPE_A,
              Packets.a("big.example.com", "192.168.1.1"),
              Packets.a("big.example.com", "192.168.1.2")));
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
            "010.000.000.001\t192.168.001.001:443\t"
                + ATTEMPTS
                + "\t1\tbig.example.com.\n"
                + "010.000.000.001\t192.168.001.002:?\t0\t1\tbig.example.com.\n"));
    assertThat(out.report().packets(), is(2L + ATTEMPTS + ATTEMPTS / RETRANSMIT_EVERY));
  }

  @Test
  // split("\n") drops the TSV's trailing empty line, so the count is the number of rows.
  @SuppressWarnings("StringSplitter")
  void tenThousandClientsWithTwoBackendsEachGiveOneRowPerPair() throws IOException {
    int clients = 10_000;
    Path dir = Files.createDirectory(tmp.resolve("pairs"));
    long t = 1_700_000_000L;
    byte[] query =
        Packets.dnsQuery("10.0.0.1", 5353, "10.0.0.53", 1, "many.example.com", Packets.TYPE_A);
    byte[] response =
        Packets.dnsResponse(
            "10.0.0.1",
            5353,
            "10.0.0.53",
            1,
            "many.example.com",
            Packets.TYPE_A,
            Packets.a("many.example.com", "192.168.1.1"),
            Packets.a("many.example.com", "192.168.1.2"));
    byte[] syn = Packets.syn("10.0.0.1", 1024, "192.168.1.1", 443, 0);
    try (OutputStream out =
        new BufferedOutputStream(Files.newOutputStream(dir.resolve("pairs.snoop")), 1 << 20)) {
      SnoopWriter w = SnoopWriter.ethernet(out);
      for (int i = 0; i < clients; i++) {
        // Client 10.1.x.y: patch the client address (Ethernet 14 + IPv4 source at 12 / dest at 16).
        int client = (10 << 24) | (1 << 16) | i;
        w.write(t, i, withIp(query, 14 + 12, client));
        w.write(t + 1, i, withIp(response, 14 + 16, client));
        w.write(t + 2, i, withIp(syn, 14 + 12, client));
      }
    }
    ConnBalRun.Output out =
        ConnBalRun.run(
            ConnBalRun.fastDirectOptions(),
            dir.resolve("*").toString(),
            ConnBal.analyze(),
            IpFormat.PADDED,
            tmp,
            ShuffleKeys::countIn);
    String[] lines = out.tsv().split("\n");
    assertThat(lines.length, is(2 * clients));
    assertThat(lines[0], equalTo("010.001.000.000\t192.168.001.001:443\t1\t1\tmany.example.com."));
    assertThat(
        lines[2 * clients - 1],
        equalTo("010.001.039.015\t192.168.001.002:?\t0\t1\tmany.example.com."));

    // 10,000 clients and 20,000 (client, backend) pairs, but no shuffle grouped more keys than
    // the 256 shards both shard counts have by default: the DNS events by client and the join by
    // pair each used every shard.
    Map<String, Long> keysPerShuffle = out.counters(ShuffleKeys.NAMESPACE);
    assertThat(
        keysPerShuffle.toString(), keysPerShuffle.values(), everyItem(lessThanOrEqualTo(256L)));
    assertThat(
        keysPerShuffle.toString(),
        keysPerShuffle.values().stream().filter(keys -> keys == 256).count(),
        greaterThanOrEqualTo(2L));
  }

  /**
   * A copy of {@code frame} with the IPv4 address at {@code offset} replaced (checksums go stale).
   */
  private static byte[] withIp(byte[] frame, int offset, int ip) {
    byte[] copy = frame.clone();
    copy[offset] = (byte) (ip >>> 24);
    copy[offset + 1] = (byte) (ip >>> 16);
    copy[offset + 2] = (byte) (ip >>> 8);
    copy[offset + 3] = (byte) ip;
    return copy;
  }
}
