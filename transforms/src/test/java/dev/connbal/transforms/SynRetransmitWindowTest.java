package dev.connbal.transforms;

import static dev.connbal.transforms.ConnBalSemanticsTest.B1;
import static dev.connbal.transforms.ConnBalSemanticsTest.B2;
import static dev.connbal.transforms.ConnBalSemanticsTest.C;
import static dev.connbal.transforms.ConnBalSemanticsTest.T;
import static dev.connbal.transforms.ConnBalSemanticsTest.line;
import static dev.connbal.transforms.ConnBalSemanticsTest.lookup;
import static dev.connbal.transforms.ConnBalSemanticsTest.syn;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.connbal.transforms.testing.Capture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SEMANTICS.md, Events: "A retransmitted SYN (same 4-tuple and same initial sequence number, less
 * than 120 s after the attempt's first SYN ...) is the same attempt, counted once", end to end on
 * the Direct runner. Every capture starts with {@link ConnBalSemanticsTest#lookup()}: C asks at T
 * and learns B1 and B2 at T + 1 s, their first DNS appearance; the SYNs go from C:50001 to B1:443
 * with ISN 1 unless they say otherwise.
 */
class SynRetransmitWindowTest {
  private static final String B1_UNUSED =
      line("010.000.000.001", "192.168.001.001:?", 0, 1, "www.example.com.");
  private static final String B2_UNUSED =
      line("010.000.000.001", "192.168.001.002:?", 0, 1, "www.example.com.");

  @TempDir Path tmp;

  private static String b1Port443(long conns) {
    return line("010.000.000.001", "192.168.001.001:443", conns, 1, "www.example.com.");
  }

  private static byte[] attempt() {
    return syn(C, 50001, B1, 443, 1);
  }

  private String tsv(Capture capture) throws IOException {
    Path in = Files.createDirectories(tmp.resolve("in"));
    capture.writeTo(in.resolve("capture.snoop"));
    return tsvOfDir(in);
  }

  private String tsvOfDir(Path in) {
    return ConnBalRun.direct(in.resolve("*").toString(), ConnBal.analyze(), tmp).tsv();
  }

  @Test
  void retransmitsOneAndThreeSecondsLaterAreTheSameAttempt() throws IOException {
    Capture c =
        lookup().then(T + 2, 0, attempt()).then(T + 3, 0, attempt()).then(T + 5, 0, attempt());
    assertThat(tsv(c), equalTo(b1Port443(1) + B2_UNUSED));
  }

  @Test
  void aRetransmitJustUnder120SecondsLaterIsTheSameAttempt() throws IOException {
    Capture c = lookup().then(T + 2, 0, attempt()).then(T + 121, 999_999, attempt());
    assertThat(tsv(c), equalTo(b1Port443(1) + B2_UNUSED));
  }

  @Test
  void theSameSynExactly120SecondsLaterIsAnotherAttempt() throws IOException {
    Capture c = lookup().then(T + 2, 0, attempt()).then(T + 122, 0, attempt());
    assertThat(tsv(c), equalTo(b1Port443(2) + B2_UNUSED));
  }

  @Test
  void theWindowRunsFromTheAttemptsFirstSyn() throws IOException {
    // T + 102 s retransmits the attempt of T + 2 s; T + 202 s is 200 s after that attempt began,
    // though only 100 s after the SYN before it.
    Capture c =
        lookup().then(T + 2, 0, attempt()).then(T + 102, 0, attempt()).then(T + 202, 0, attempt());
    assertThat(tsv(c), equalTo(b1Port443(2) + B2_UNUSED));
  }

  @Test
  void anAttemptBegunBeforeTheFirstDnsAnswerDoesNotCountForItsRetransmit() throws IOException {
    // The first SYN falls between the query (T) and the answer (T + 1 s), though the file holds
    // it after the answer: what counts is its timestamp.
    Capture c = lookup().then(T, 500_000, attempt()).then(T + 3, 0, attempt());
    assertThat(tsv(c), equalTo(B1_UNUSED + B2_UNUSED));
  }

  @Test
  void theSameSyn120SecondsAfterAnEarlyOneIsAnAttemptThatCounts() throws IOException {
    Capture c =
        lookup()
            .then(T, 500_000, attempt()) // early
            .then(T + 60, 0, attempt()) // retransmits the early attempt
            .then(T + 120, 500_000, attempt()); // 120 s after the early SYN: a new attempt
    assertThat(tsv(c), equalTo(b1Port443(1) + B2_UNUSED));
  }

  @Test
  void synsOfOneAttemptSplitAcrossTwoFilesCountOnce() throws IOException {
    Path in = Files.createDirectories(tmp.resolve("in"));
    // a.snoop sorts first by name but holds the later SYNs: T + 100 s retransmits the attempt of
    // T + 10 s in b.snoop, and T + 130 s, 120 s after that attempt's first SYN, begins another.
    Capture.at(T + 100, 0, attempt()).then(T + 130, 0, attempt()).writeTo(in.resolve("a.snoop"));
    lookup().then(T + 10, 0, attempt()).writeTo(in.resolve("b.snoop"));
    assertThat(tsvOfDir(in), equalTo(b1Port443(2) + B2_UNUSED));
  }

  @Test
  void theSameClientPortAndIsnToAnotherPortOrBackendIsAnotherAttempt() throws IOException {
    Capture c =
        lookup()
            .then(T + 2, 0, attempt())
            .then(T + 3, 0, syn(C, 50001, B1, 8443, 1))
            .then(T + 4, 0, syn(C, 50001, B2, 443, 1))
            .then(T + 5, 0, attempt()); // retransmits the first
    assertThat(
        tsv(c),
        equalTo(
            b1Port443(1)
                + line("010.000.000.001", "192.168.001.001:8443", 1, 1, "www.example.com.")
                + line("010.000.000.001", "192.168.001.002:443", 1, 1, "www.example.com.")));
  }
}
