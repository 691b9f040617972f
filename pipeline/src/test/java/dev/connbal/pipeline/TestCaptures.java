package dev.connbal.pipeline;

import static dev.connbal.transforms.testing.Packets.ACK;
import static dev.connbal.transforms.testing.Packets.TYPE_A;
import static dev.connbal.transforms.testing.Packets.a;
import static dev.connbal.transforms.testing.Packets.dnsQuery;
import static dev.connbal.transforms.testing.Packets.dnsResponse;
import static dev.connbal.transforms.testing.Packets.syn;
import static dev.connbal.transforms.testing.Packets.tcp;

import dev.connbal.transforms.testing.Capture;
import java.nio.file.Path;

/**
 * Two small captures with hand-derived results (docs/SEMANTICS.md), for tests of the command around
 * the analysis: what it reads, where it prints, how it fails.
 *
 * <p>{@code api.snoop}: client 10.0.0.1 looks up api.example.com at t=100 and gets two A records
 * (10.0.1.1, 10.0.1.2). A SYN to 10.0.1.2 at t=99 comes before the lookup and does not count; after
 * it, two attempts go to 10.0.1.1:443 (the first retransmitted with the same sequence number,
 * counted once) and one to 10.0.1.2:443. A stream 10.0.0.1:38000 - 10.0.1.2:443 seen only as ACKs
 * after the lookup counts in all-streams mode (-a) only.
 *
 * <p>{@code db.snoop}: client 10.0.0.2 looks up db.example.org and gets 10.0.2.1 and 10.0.2.2, then
 * connects once to 10.0.2.1:5432; 10.0.2.2 gets no connection and has no known port.
 */
final class TestCaptures {
  /** The TSV header line of SEMANTICS.md's columns, as --header prints it. */
  static final String TSV_HEADER = "client-ip\tbackend-ip:port\t#conns\t#dns\tname\n";

  static final String API_TSV =
      "010.000.000.001\t010.000.001.001:443\t2\t1\tapi.example.com.\n"
          + "010.000.000.001\t010.000.001.002:443\t1\t1\tapi.example.com.\n";

  static final String API_TSV_PLAIN =
      "10.0.0.1\t10.0.1.1:443\t2\t1\tapi.example.com.\n"
          + "10.0.0.1\t10.0.1.2:443\t1\t1\tapi.example.com.\n";

  static final String API_TSV_ALL_STREAMS =
      "010.000.000.001\t010.000.001.001:443\t2\t1\tapi.example.com.\n"
          + "010.000.000.001\t010.000.001.002:443\t2\t1\tapi.example.com.\n";

  static final String DB_TSV =
      "010.000.000.002\t010.000.002.001:5432\t1\t1\tdb.example.org.\n"
          + "010.000.000.002\t010.000.002.002:?\t0\t1\tdb.example.org.\n";

  private TestCaptures() {}

  static Path writeApi(Path file) {
    return Capture.at(99, 0, syn("10.0.0.1", 39999, "10.0.1.2", 443, 500))
        .then(100, 0, dnsQuery("10.0.0.1", 5000, "10.0.0.53", 1, "api.example.com", TYPE_A))
        .then(
            100,
            10_000,
            dnsResponse(
                "10.0.0.1",
                5000,
                "10.0.0.53",
                1,
                "api.example.com",
                TYPE_A,
                a("api.example.com", "10.0.1.1"),
                a("api.example.com", "10.0.1.2")))
        .then(101, 0, syn("10.0.0.1", 40001, "10.0.1.1", 443, 1000))
        .then(101, 500_000, syn("10.0.0.1", 40001, "10.0.1.1", 443, 1000))
        .then(102, 0, syn("10.0.0.1", 40002, "10.0.1.2", 443, 2000))
        .then(103, 0, syn("10.0.0.1", 40003, "10.0.1.1", 443, 3000))
        .then(104, 0, tcp("10.0.0.1", 38000, "10.0.1.2", 443, ACK, 7000))
        .then(104, 1_000, tcp("10.0.1.2", 443, "10.0.0.1", 38000, ACK, 9000))
        .writeTo(file);
  }

  static Path writeDb(Path file) {
    return Capture.at(200, 0, dnsQuery("10.0.0.2", 6000, "10.0.0.53", 7, "db.example.org", TYPE_A))
        .then(
            200,
            2_000,
            dnsResponse(
                "10.0.0.2",
                6000,
                "10.0.0.53",
                7,
                "db.example.org",
                TYPE_A,
                a("db.example.org", "10.0.2.1"),
                a("db.example.org", "10.0.2.2")))
        .then(201, 0, syn("10.0.0.2", 41000, "10.0.2.1", 5432, 4242))
        .writeTo(file);
  }
}
