package dev.connbal.pipeline;

import static dev.connbal.transforms.testing.Packets.ACK;
import static dev.connbal.transforms.testing.Packets.PSH;
import static dev.connbal.transforms.testing.Packets.TYPE_A;
import static dev.connbal.transforms.testing.Packets.a;
import static dev.connbal.transforms.testing.Packets.dnsQuery;
import static dev.connbal.transforms.testing.Packets.dnsResponse;
import static dev.connbal.transforms.testing.Packets.syn;

import dev.connbal.snoop.SnoopWriter;
import dev.connbal.transforms.testing.Packets;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.pcap4j.packet.IpV4Packet;
import org.pcap4j.packet.UnknownPacket;
import org.pcap4j.packet.namednumber.IpNumber;

/**
 * A large capture (hundreds of MB) with an exact expected TSV, for runs long enough to be
 * disturbed. The bench module's TrafficGenerator cannot be used here: bench depends on pipeline.
 *
 * <p>{@value #CLIENTS} clients 10.1.0.N each use one of {@value #SERVICES} services {@code
 * svcS.example}, whose A responses list three backends 10.2.S.1-3 (port 8000 + S). The capture is
 * cut into {@value #LOOKUP_ROUNDS} equal stretches; each starts with every client looking its
 * service up again, so every backend has #dns {@value #LOOKUP_ROUNDS}. Between the lookups, every
 * {@value #SYN_EVERY}th packet is a connection attempt (one SYN, a fresh port and ISN) of the next
 * client, round robin, to its next backend; all other packets are full-size data segments from a
 * backend to its client, the bulk of the bytes. Every attempt follows the first lookup, so every
 * attempt counts. Timestamps advance 10 µs per packet.
 */
final class BulkCapture {
  static final int CLIENTS = 16;
  static final int SERVICES = 4;
  static final int BACKENDS = 3;
  static final int LOOKUP_ROUNDS = 8;
  static final int SYN_EVERY = 16;
  private static final long T0 = 1_700_000_000L;

  /** What was written: the packets in it and the TSV connbal must print for it. */
  record Result(long bytes, long packets, String expectedTsv) {}

  private BulkCapture() {}

  /** Writes at least {@code targetBytes} bytes of capture to {@code file}. */
  static Result write(Path file, long targetBytes) throws IOException {
    byte[] filler = dataSegment(backend(0, 0), 8000, client(0), 50000);
    long[][] attempts = new long[CLIENTS][BACKENDS];
    long packets = 0;
    long roundBytes = targetBytes / LOOKUP_ROUNDS;
    int attemptNumber = 0;
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20);
        SnoopWriter w = SnoopWriter.ethernet(out)) {
      for (int round = 0; round < LOOKUP_ROUNDS; round++) {
        for (int c = 0; c < CLIENTS; c++) {
          int s = service(c);
          int id = round * CLIENTS + c;
          int port = 10_000 + id;
          writeAt(w, packets++, dnsQuery(client(c), port, "10.0.0.53", id, name(s), TYPE_A));
          writeAt(
              w,
              packets++,
              dnsResponse(
                  client(c),
                  port,
                  "10.0.0.53",
                  id,
                  name(s),
                  TYPE_A,
                  a(name(s), backend(s, 0)),
                  a(name(s), backend(s, 1)),
                  a(name(s), backend(s, 2))));
        }
        long roundEnd = (round + 1) * roundBytes;
        while (w.bytesWritten() < roundEnd) {
          if (packets % SYN_EVERY == 0) {
            int c = attemptNumber % CLIENTS;
            int b = (attemptNumber / CLIENTS) % BACKENDS;
            int s = service(c);
            writeAt(
                w,
                packets++,
                syn(
                    client(c),
                    20_000 + attemptNumber % 40_000,
                    backend(s, b),
                    8000 + s,
                    1_000_000L + attemptNumber));
            attempts[c][b]++;
            attemptNumber++;
          } else {
            writeAt(w, packets++, filler);
          }
        }
      }
      return new Result(w.bytesWritten(), packets, expectedTsv(attempts));
    }
  }

  private static String expectedTsv(long[][] attempts) {
    StringBuilder tsv = new StringBuilder();
    for (int c = 0; c < CLIENTS; c++) {
      int s = service(c);
      for (int b = 0; b < BACKENDS; b++) {
        tsv.append(
            String.format(
                "010.001.000.%03d\t010.002.%03d.%03d:%d\t%d\t%d\t%s.\n",
                c + 1, s, b + 1, 8000 + s, attempts[c][b], LOOKUP_ROUNDS, name(s)));
      }
    }
    return tsv.toString();
  }

  private static void writeAt(SnoopWriter w, long packet, byte[] frame) throws IOException {
    long micros = packet * 10;
    w.write(T0 + micros / 1_000_000, (int) (micros % 1_000_000), frame);
  }

  /** A 1514-byte frame: 1460 bytes of TCP payload. */
  private static byte[] dataSegment(String src, int srcPort, String dst, int dstPort) {
    IpV4Packet.Builder ip =
        Packets.ipv4(
            src,
            dst,
            IpNumber.TCP,
            Packets.tcpBuilder(src, srcPort, dst, dstPort, ACK | PSH, 1)
                .payloadBuilder(new UnknownPacket.Builder().rawData(new byte[1460])));
    return Packets.ethernet(ip);
  }

  private static int service(int client) {
    return client % SERVICES;
  }

  private static String client(int c) {
    return "10.1.0." + (c + 1);
  }

  private static String backend(int s, int b) {
    return "10.2." + s + "." + (b + 1);
  }

  private static String name(int s) {
    return "svc" + s + ".example";
  }
}
