package dev.connbal.transforms;

import static dev.connbal.transforms.testing.Packets.ACK;
import static dev.connbal.transforms.testing.Packets.FIN;
import static dev.connbal.transforms.testing.Packets.PSH;
import static dev.connbal.transforms.testing.Packets.RST;
import static dev.connbal.transforms.testing.Packets.SYN;
import static dev.connbal.transforms.testing.Packets.TYPE_A;
import static dev.connbal.transforms.testing.Packets.TYPE_SRV;
import static dev.connbal.transforms.testing.Packets.a;
import static dev.connbal.transforms.testing.Packets.srv;

import dev.connbal.transforms.testing.Capture;
import dev.connbal.transforms.testing.Packets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A deterministic pseudo-random set of captures exercising every rule at once: several clients of
 * IPv4 and IPv6, multi-record lookups (A and AAAA records mixed) and SRV lookups, unmatched and
 * late responses, SYN attempts with retransmits before and after DNS, and streams that open, close
 * and reopen, spread over several files whose packets interleave in time and are partly out of
 * order inside a file.
 */
final class MixedCaptures {
  private MixedCaptures() {}

  // A frame and its time, only sorted by time and written out; never compared with equals.
  @SuppressWarnings("ArrayRecordComponent")
  private record Timed(long micros, byte[] frame) {}

  /** Writes {@code files} captures into {@code dir}; returns the number of packets written. */
  static int write(Path dir, int files, long seed) {
    Random random = new Random(seed);
    List<Timed> packets = new ArrayList<>();
    long t0 = 1_700_000_000_000_000L;
    String[] clients = {"10.0.0.1", "10.0.0.2", "10.0.1.7", "2001:db8::7"};
    String[] backends = {"192.168.1.1", "192.168.1.2", "192.168.1.3", "172.16.0.9"};
    String[] v6Backends = {"2001:db8:1::1", "2001:db8:1::2"};
    int id = 1;
    for (int round = 0; round < 12; round++) {
      long t = t0 + round * 3_000_000L;
      String client = clients[random.nextInt(clients.length)];
      boolean v6 = client.contains(":");
      String ns = v6 ? "2001:db8::53" : "10.0.0.53";
      // SYNs go to backends of the client's own family; DNS answers carry both.
      String[] reachable = v6 ? v6Backends : backends;
      int port = 30000 + random.nextInt(1000);
      if (random.nextBoolean()) {
        String name = "svc" + random.nextInt(3) + ".example.com";
        packets.add(new Timed(t, Packets.dnsQuery(client, port, ns, id, name, TYPE_A)));
        Packets.Rr[] answers = new Packets.Rr[1 + random.nextInt(3)];
        for (int i = 0; i < answers.length; i++) {
          answers[i] =
              random.nextInt(3) == 0
                  ? Packets.aaaa(name, v6Backends[random.nextInt(v6Backends.length)])
                  : a(name, backends[random.nextInt(backends.length)]);
        }
        long dt = random.nextInt(12) == 0 ? 11_000_000L : 1_000 + random.nextInt(50_000);
        packets.add(
            new Timed(t + dt, Packets.dnsResponse(client, port, ns, id, name, TYPE_A, answers)));
      } else {
        String service = "_app" + random.nextInt(2) + "._tcp.example.com";
        packets.add(new Timed(t, Packets.dnsQuery(client, port, ns, id, service, TYPE_SRV)));
        packets.add(
            new Timed(
                t + 2_000,
                Packets.dnsResponse(
                    client,
                    port,
                    ns,
                    id,
                    service,
                    TYPE_SRV,
                    List.of(
                        srv(service, "t1.example.com", 8000 + random.nextInt(2)),
                        srv(service, "t2.example.com", 8000)),
                    List.of(),
                    List.of(
                        a("t1.example.com", backends[0]),
                        a("t2.example.com", backends[3]),
                        Packets.aaaa("t2.example.com", v6Backends[1])))));
      }
      id++;
      for (int c = 0; c < 6; c++) {
        String b = reachable[random.nextInt(reachable.length)];
        int cport = 40000 + random.nextInt(40);
        int bport = random.nextBoolean() ? 443 : 8000;
        long ts = t + random.nextInt(2_900_000) - 1_000_000;
        long isn = random.nextInt(5);
        packets.add(new Timed(ts, Packets.syn(client, cport, b, bport, isn)));
        if (random.nextInt(3) == 0) {
          packets.add(new Timed(ts + 1_000_000, Packets.syn(client, cport, b, bport, isn)));
        }
        packets.add(new Timed(ts + 10, Packets.tcp(b, bport, client, cport, SYN | ACK, 7)));
        packets.add(
            new Timed(
                ts + 20 + random.nextInt(3_000_000),
                Packets.tcp(client, cport, b, bport, ACK | PSH, isn + 1)));
        int end = random.nextInt(3);
        if (end == 1) {
          packets.add(
              new Timed(ts + 3_500_000, Packets.tcp(client, cport, b, bport, FIN | ACK, isn + 2)));
          packets.add(new Timed(ts + 3_600_000, Packets.tcp(b, bport, client, cport, ACK, 8)));
        } else if (end == 2) {
          packets.add(new Timed(ts + 3_500_000, Packets.tcp(b, bport, client, cport, RST, 8)));
        }
      }
    }
    // Deal the packets round-robin-ish into files, then disorder some neighbours in each file.
    List<List<Timed>> perFile = new ArrayList<>();
    for (int f = 0; f < files; f++) {
      perFile.add(new ArrayList<>());
    }
    packets.sort((x, y) -> Long.compare(x.micros(), y.micros()));
    for (Timed p : packets) {
      perFile.get(random.nextInt(files)).add(p);
    }
    for (int f = 0; f < files; f++) {
      List<Timed> list = perFile.get(f);
      for (int i = 0; i + 1 < list.size(); i += 7) {
        Collections.swap(list, i, i + 1);
      }
      Capture capture = Capture.empty();
      for (Timed p : list) {
        capture = capture.then(p.micros() / 1_000_000, (int) (p.micros() % 1_000_000), p.frame());
      }
      capture.writeTo(dir.resolve("capture-" + f + ".snoop"));
    }
    return packets.size();
  }
}
