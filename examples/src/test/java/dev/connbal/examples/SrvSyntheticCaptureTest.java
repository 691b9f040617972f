package dev.connbal.examples;

import static dev.connbal.transforms.testing.Packets.ACK;
import static dev.connbal.transforms.testing.Packets.CWR;
import static dev.connbal.transforms.testing.Packets.ECE;
import static dev.connbal.transforms.testing.Packets.FIN;
import static dev.connbal.transforms.testing.Packets.PSH;
import static dev.connbal.transforms.testing.Packets.SYN;
import static dev.connbal.transforms.testing.Packets.TPID_8021Q;
import static dev.connbal.transforms.testing.Packets.TYPE_A;
import static dev.connbal.transforms.testing.Packets.TYPE_SRV;
import static dev.connbal.transforms.testing.Packets.a;
import static dev.connbal.transforms.testing.Packets.arpRequest;
import static dev.connbal.transforms.testing.Packets.dnsQuery;
import static dev.connbal.transforms.testing.Packets.dnsQueryMessage;
import static dev.connbal.transforms.testing.Packets.dnsResponse;
import static dev.connbal.transforms.testing.Packets.ipv6Udp;
import static dev.connbal.transforms.testing.Packets.ns;
import static dev.connbal.transforms.testing.Packets.opt;
import static dev.connbal.transforms.testing.Packets.srv;
import static dev.connbal.transforms.testing.Packets.syn;
import static dev.connbal.transforms.testing.Packets.tcp;
import static dev.connbal.transforms.testing.Packets.vlan;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.connbal.snoop.SnoopWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Generates {@code examples/srv-synthetic/capture.snoop}, the synthetic SRV example whose expected
 * output {@code expected.tsv} is derived by hand in {@code srv-synthetic/README.md} (the numbered
 * steps there are the numbered steps here).
 *
 * <p>Run with {@code -Dconnbal.examples.regenerate=true} to (re)write the committed file; without
 * it the test checks that the committed file is byte for byte what this scenario generates, so the
 * capture, this code and the README cannot drift apart unnoticed.
 */
class SrvSyntheticCaptureTest {
  static final Path CAPTURE = Path.of("srv-synthetic", "capture.snoop");
  private static final String REGENERATE = "connbal.examples.regenerate";

  /** Scenario clock origin: 2023-11-14T22:13:20Z. */
  private static final long T0 = 1_700_000_000L;

  private static final String DNS = "192.0.2.53";
  private static final String C1 = "192.0.2.10";
  private static final String C2 = "192.0.2.20";
  private static final String C3 = "192.0.2.30";
  private static final String C4 = "192.0.2.40";
  private static final String API_A = "198.51.100.1";
  private static final String API_B = "198.51.100.2";
  private static final String API_C = "198.51.100.3";
  private static final String WWW_1 = "198.51.100.10";
  private static final String WWW_2 = "198.51.100.11";

  private static final String SERVICE = "_api._tcp.example.test";
  private static final String TARGET_A = "api-a.example.test";
  private static final String TARGET_B = "api-b.example.test";
  private static final String TARGET_C = "api-c.example.test";
  private static final String WWW = "www.example.test";
  private static final int PORT_A = 8443;
  private static final int PORT_B = 9443;

  /** Client C3 sits behind a trunk port: its frames carry this 802.1Q VLAN id. */
  private static final int C3_VLAN = 30;

  @Test
  void committedCaptureIsWhatTheScenarioGenerates() throws IOException {
    byte[] generated = scenario();
    if (Boolean.getBoolean(REGENERATE)) {
      Files.createDirectories(CAPTURE.getParent());
      Files.write(CAPTURE, generated);
    }
    assertTrue(
        Files.isRegularFile(CAPTURE),
        CAPTURE.toAbsolutePath() + " is missing: run with -D" + REGENERATE + "=true");
    assertArrayEquals(
        generated,
        Files.readAllBytes(CAPTURE),
        CAPTURE
            + " differs from the scenario: regenerate it with -D"
            + REGENERATE
            + "=true and re-derive expected.tsv by hand");
  }

  /** The scenario of srv-synthetic/README.md, step by step, as a snoop file. */
  static byte[] scenario() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (SnoopWriter w = SnoopWriter.ethernet(bytes)) {
      // 1. Noise a capture always has: an ARP request (skipped) and an unanswered query over IPv6.
      w.write(T0, 0, arpRequest(C1, DNS));
      w.write(
          T0,
          10_000,
          ipv6Udp(
              "2001:db8::10",
              50000,
              "2001:db8::53",
              53,
              dnsQueryMessage(0x0001, SERVICE, TYPE_SRV)));
      // 2. C1 has a stream to api-a open since before the capture began (no SYN in the file).
      w.write(T0, 50_000, tcp(C1, 41000, API_A, PORT_A, ACK | PSH, 900_000));
      // 3. C3 connects to api-a before it looked anything up.
      w.write(T0, 100_000, vlan(syn(C3, 33001, API_A, PORT_A, 3_000_001), TPID_8021Q, C3_VLAN));
      // 4. C1 connects to api-a before its SRV lookup.
      w.write(T0, 200_000, syn(C1, 41001, API_A, PORT_A, 1_000_001));
      // 5. C4 looks up api-b's A record while nobody has seen the SRV record yet: one A, ignored.
      w.write(T0, 500_000, dnsQuery(C4, 50008, DNS, 0x4001, TARGET_B, TYPE_A));
      w.write(
          T0, 501_000, dnsResponse(C4, 50008, DNS, 0x4001, TARGET_B, TYPE_A, a(TARGET_B, API_B)));
      // 6. C1 looks up the SRV service: two targets on two ports, their addresses in the
      // additional section next to an OPT record, an NS record in the authority section.
      w.write(T0 + 1, 0, dnsQuery(C1, 50001, DNS, 0x1001, SERVICE, TYPE_SRV));
      w.write(
          T0 + 1,
          2_000,
          dnsResponse(
              C1,
              50001,
              DNS,
              0x1001,
              SERVICE,
              TYPE_SRV,
              List.of(srv(SERVICE, TARGET_A, PORT_A), srv(SERVICE, TARGET_B, PORT_B)),
              List.of(ns("example.test", "ns1.example.test")),
              List.of(a(TARGET_A, API_A), a(TARGET_B, API_B), opt())));
      // 7. C1 connects to api-a:8443; api-a answers with SYN+ACK.
      w.write(T0 + 1, 10_000, syn(C1, 41002, API_A, PORT_A, 1_000_002));
      w.write(T0 + 1, 10_400, tcp(API_A, PORT_A, C1, 41002, SYN | ACK, 7_000_002));
      // 8. C1 connects to api-b:9443; the SYN is retransmitted one second later.
      w.write(T0 + 1, 20_000, syn(C1, 41003, API_B, PORT_B, 1_000_003));
      // 9. The pre-capture stream of step 2 is still used after the lookup, then api-a closes it;
      // C1's last ACK trails the FIN.
      w.write(T0 + 1, 500_000, tcp(C1, 41000, API_A, PORT_A, ACK | PSH, 900_100));
      w.write(T0 + 1, 600_000, tcp(API_A, PORT_A, C1, 41000, FIN | ACK, 5_000_000));
      w.write(T0 + 1, 610_000, tcp(C1, 41000, API_A, PORT_A, ACK, 900_200));
      w.write(T0 + 2, 20_000, syn(C1, 41003, API_B, PORT_B, 1_000_003));
      // 10. C1 connects to api-a:8443 with an ECN-setup SYN (ECE and CWR set).
      w.write(T0 + 2, 500_000, tcp(C1, 41004, API_A, PORT_A, SYN | ECE | CWR, 1_000_004));
      // 11. C2 looks up only api-b's A record, now a known SRV target, and connects twice; the
      // second SYN is retransmitted.
      w.write(T0 + 3, 0, dnsQuery(C2, 50002, DNS, 0x2001, TARGET_B, TYPE_A));
      w.write(
          T0 + 3, 1_000, dnsResponse(C2, 50002, DNS, 0x2001, TARGET_B, TYPE_A, a(TARGET_B, API_B)));
      w.write(T0 + 3, 10_000, syn(C2, 42001, API_B, PORT_B, 2_000_001));
      w.write(T0 + 3, 20_000, syn(C2, 42002, API_B, PORT_B, 2_000_002));
      // 12. C4 connects to api-b:9443 without a lookup since step 5.
      w.write(T0 + 3, 500_000, syn(C4, 44001, API_B, PORT_B, 4_000_001));
      w.write(T0 + 4, 20_000, syn(C2, 42002, API_B, PORT_B, 2_000_002));
      // 13. C2 looks up www (two A records) and connects to the first address only.
      w.write(T0 + 4, 500_000, dnsQuery(C2, 50004, DNS, 0x2002, WWW, TYPE_A));
      w.write(
          T0 + 4,
          501_000,
          dnsResponse(C2, 50004, DNS, 0x2002, WWW, TYPE_A, a(WWW, WWW_1), a(WWW, WWW_2)));
      w.write(T0 + 4, 510_000, syn(C2, 42003, WWW_1, 80, 2_000_003));
      // 14. C3 looks up api-a's A record (a known SRV target) and connects.
      w.write(
          T0 + 5, 0, vlan(dnsQuery(C3, 50005, DNS, 0x3001, TARGET_A, TYPE_A), TPID_8021Q, C3_VLAN));
      w.write(
          T0 + 5,
          1_000,
          vlan(
              dnsResponse(C3, 50005, DNS, 0x3001, TARGET_A, TYPE_A, a(TARGET_A, API_A)),
              TPID_8021Q,
              C3_VLAN));
      w.write(T0 + 5, 100_000, vlan(syn(C3, 33002, API_A, PORT_A, 3_000_002), TPID_8021Q, C3_VLAN));
      // 15. A response nobody asked for offers a third target; C2 connects to it anyway.
      w.write(
          T0 + 6,
          0,
          dnsResponse(
              C2,
              50006,
              DNS,
              0x2003,
              SERVICE,
              TYPE_SRV,
              List.of(srv(SERVICE, TARGET_C, PORT_A)),
              List.of(),
              List.of(a(TARGET_C, API_C))));
      w.write(T0 + 6, 100_000, syn(C2, 42004, API_C, PORT_A, 2_000_004));
      // 16. C1 looks the SRV service up again (targets in the other order) and connects to api-b.
      w.write(T0 + 10, 0, dnsQuery(C1, 50007, DNS, 0x1002, SERVICE, TYPE_SRV));
      w.write(
          T0 + 10,
          1_000,
          dnsResponse(
              C1,
              50007,
              DNS,
              0x1002,
              SERVICE,
              TYPE_SRV,
              List.of(srv(SERVICE, TARGET_B, PORT_B), srv(SERVICE, TARGET_A, PORT_A)),
              List.of(),
              List.of(a(TARGET_B, API_B), a(TARGET_A, API_A))));
      w.write(T0 + 10, 10_000, syn(C1, 41005, API_B, PORT_B, 1_000_005));
    }
    return bytes.toByteArray();
  }
}
