package dev.connbal.transforms.count;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.connbal.transforms.decode.TcpFlags;
import dev.connbal.transforms.events.OrderKey;
import dev.connbal.transforms.events.StreamFragment;
import dev.connbal.transforms.keys.FourTuple;
import dev.connbal.transforms.keys.IpAddress;
import dev.connbal.transforms.testing.Packets;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The all-streams (-a) rules packet by packet ({@link IncrementalStreamTracker}), one by one, each
 * expectation written by hand; then, on random streams, the same connections as the run without
 * windows ({@link StreamTracker}).
 */
class IncrementalStreamTrackerTest {
  private static final IpAddress CLIENT = Packets.ip("10.0.0.1");
  private static final IpAddress BACKEND = Packets.ip("192.168.1.1");
  private static final int CLIENT_PORT = 40000;
  private static final int PORT = 443;
  private static final long DNS = 1_000;
  private static final int SYN = TcpFlags.SYN;
  private static final int ACK = TcpFlags.ACK;
  private static final int FIN = TcpFlags.FIN;
  private static final int RST = TcpFlags.RST;

  private final IncrementalStreamTracker tracker = new IncrementalStreamTracker();

  /** A packet from the client at {@code t}; the time of the connection it counts, or null. */
  private Long c(long t, int flags, long seq) {
    return time(tracker.packet(t, CLIENT, CLIENT_PORT, BACKEND, PORT, flags, seq));
  }

  private Long c(long t, int flags) {
    return c(t, flags, 0);
  }

  private Long s(long t, int flags) {
    return time(tracker.packet(t, BACKEND, PORT, CLIENT, CLIENT_PORT, flags, 0));
  }

  private static Long time(IncrementalStreamTracker.Counted counted) {
    if (counted == null) {
      return null;
    }
    assertThat(counted.client(), equalTo(CLIENT));
    assertThat(counted.backend(), equalTo(BACKEND));
    assertThat(counted.port(), equalTo(PORT));
    return counted.timeMicros();
  }

  @Test
  void theFirstPacketOpensAndCountsWhenTheBackendIsKnown() {
    tracker.pairKnown(CLIENT, BACKEND, DNS);
    assertThat(c(2000, ACK), equalTo(2000L));
    assertThat(s(2001, ACK), nullValue());
    assertThat(c(2002, ACK), nullValue());
  }

  @Test
  void aStreamBegunBeforeTheLookupCountsAtItsFirstPacketAfterIt() {
    assertThat(c(500, ACK), nullValue());
    assertThat(s(800, ACK), nullValue());
    tracker.pairKnown(CLIENT, BACKEND, DNS);
    assertThat(s(1200, ACK), equalTo(1200L));
    assertThat(c(1300, ACK), nullValue());
  }

  @Test
  void aPacketAtTheVeryTimeOfTheLookupCounts() {
    tracker.pairKnown(CLIENT, BACKEND, DNS);
    assertThat(c(DNS, SYN, 7), equalTo(DNS));
  }

  @Test
  void finOrRstClosesAndTrailingAcksAfterTheCloseDoNotCount() {
    assertThat(c(500, ACK), nullValue());
    assertThat(c(600, FIN | ACK), nullValue());
    tracker.pairKnown(CLIENT, BACKEND, DNS);
    assertThat(s(1100, ACK), nullValue());
    assertThat(c(1200, ACK), nullValue());
    assertThat(s(1300, RST), nullValue());
  }

  @Test
  void onlyFinOrRstAfterTheLookupDoesNotCount() {
    assertThat(c(500, ACK), nullValue());
    tracker.pairKnown(CLIENT, BACKEND, DNS);
    assertThat(c(1100, RST | ACK), nullValue());
  }

  @Test
  void afterACloseOnlyASynWithoutAckOpens() {
    tracker.pairKnown(CLIENT, BACKEND, DNS);
    assertThat(c(2000, SYN, 1), equalTo(2000L));
    assertThat(c(2100, FIN | ACK), nullValue());
    assertThat(s(2200, SYN | ACK), nullValue());
    assertThat(c(2300, ACK), nullValue());
    assertThat(c(2400, SYN, 2), equalTo(2400L));
  }

  @Test
  void aFirstPacketFinOrRstOpensAndClosesAConnectionThatNeverCounts() {
    tracker.pairKnown(CLIENT, BACKEND, DNS);
    assertThat(s(2000, FIN | ACK), nullValue());
    assertThat(c(2001, ACK), nullValue());
    assertThat(c(2002, SYN, 5), equalTo(2002L));
  }

  @Test
  void aSynWithANewIsnOnAnOpenStreamStartsANewConnectionARetransmittedOneDoesNot() {
    tracker.pairKnown(CLIENT, BACKEND, DNS);
    assertThat(c(2000, SYN, 1), equalTo(2000L));
    assertThat(c(2100, SYN, 1), nullValue());
    assertThat(c(2200, SYN, 2), equalTo(2200L));
    assertThat(c(2300, ACK), nullValue());
  }

  @Test
  void aSynRetransmittedAfterTheLookupCountsItsAttempt() {
    assertThat(c(900, SYN, 3), nullValue());
    tracker.pairKnown(CLIENT, BACKEND, DNS);
    assertThat(c(1100, SYN, 3), equalTo(1100L));
  }

  @Test
  void packetsOfEitherSideCountForTheDnsPair() {
    tracker.pairKnown(CLIENT, BACKEND, DNS);
    // The backend sends first: still the client's connection to the backend's port.
    assertThat(s(2000, ACK), equalTo(2000L));
  }

  @Test
  void bothOrientationsTheSideKnownAtTheFirstCountedPacketIsTheClient() {
    // The backend resolved the client at 100, the client the backend at DNS (1000). The client
    // opens at 500: only the reverse orientation is known then, and it is the connection's.
    tracker.pairKnown(BACKEND, CLIENT, 100);
    IncrementalStreamTracker.Counted first =
        tracker.packet(500, CLIENT, CLIENT_PORT, BACKEND, PORT, SYN, 1);
    tracker.pairKnown(CLIENT, BACKEND, DNS);
    assertThat(tracker.packet(1500, CLIENT, CLIENT_PORT, BACKEND, PORT, ACK, 0), nullValue());
    assertThat(
        first, equalTo(new IncrementalStreamTracker.Counted(BACKEND, CLIENT, CLIENT_PORT, 500, 0)));
    // With both known, the opener is the client.
    assertThat(
        tracker.packet(1600, CLIENT, CLIENT_PORT, BACKEND, PORT, SYN, 2).client(), equalTo(CLIENT));
    assertThat(
        tracker.packet(1700, BACKEND, PORT, CLIENT, CLIENT_PORT, SYN, 3).client(),
        equalTo(BACKEND));
  }

  /**
   * IPv6, by hand from SEMANTICS.md "All-streams mode": DNS names 2001:db8:1::1 to 2001:db8:ffff::7
   * at 1000. The backend's address sorts first, so the client is the 4-tuple's high endpoint.
   *
   * <ul>
   *   <li>500, backend to client, ACK: the 4-tuple's first packet opens a connection; the backend
   *       is not known yet: nothing.
   *   <li>1500, client to backend, ACK: known now, so the connection counts here, for (client,
   *       backend) on the backend's port 443: connection 0.
   *   <li>1600, FIN from the backend closes it; 1700, the client's ACK after the close opens
   *       nothing.
   *   <li>1800, the client's SYN without ACK opens the next connection, known: connection 1.
   *   <li>1900, 10.0.0.1 to 192.168.1.1:443, SYN: another 4-tuple, of IPv4 addresses DNS never
   *       paired: nothing.
   * </ul>
   *
   * A copy written and read at that point goes on as the original: its next SYN is connection 2.
   */
  @Test
  void ipv6StreamsFollowTheSameRules() throws IOException {
    IpAddress client = IpAddress.parse("2001:db8:ffff::7");
    IpAddress backend = IpAddress.parse("2001:db8:1::1");
    tracker.pairKnown(client, backend, DNS);
    assertThat(tracker.packet(500, backend, PORT, client, CLIENT_PORT, ACK, 0), nullValue());
    assertThat(
        tracker.packet(1500, client, CLIENT_PORT, backend, PORT, ACK, 0),
        equalTo(new IncrementalStreamTracker.Counted(client, backend, PORT, 1500, 0)));
    assertThat(tracker.packet(1600, backend, PORT, client, CLIENT_PORT, FIN | ACK, 0), nullValue());
    assertThat(tracker.packet(1700, client, CLIENT_PORT, backend, PORT, ACK, 0), nullValue());
    assertThat(
        tracker.packet(1800, client, CLIENT_PORT, backend, PORT, SYN, 9),
        equalTo(new IncrementalStreamTracker.Counted(client, backend, PORT, 1800, 1)));
    assertThat(tracker.packet(1900, CLIENT, CLIENT_PORT, BACKEND, PORT, SYN, 4), nullValue());

    IncrementalStreamTracker copy = copy(tracker);
    assertThat(bytes(copy), equalTo(bytes(tracker)));
    for (IncrementalStreamTracker t : List.of(tracker, copy)) {
      assertThat(
          t.packet(2000, client, CLIENT_PORT, backend, PORT, SYN, 10),
          equalTo(new IncrementalStreamTracker.Counted(client, backend, PORT, 2000, 2)));
    }
  }

  @Test
  void aClosedTupleIsForgottenTwoMslAfterItsClose() {
    tracker.pairKnown(CLIENT, BACKEND, DNS);
    long close = 3000;
    assertThat(c(2000, SYN, 1), equalTo(2000L));
    assertThat(c(close, FIN | ACK), nullValue());
    assertThat(s(close + IncrementalStreamTracker.CLOSED_MICROS - 1, ACK), nullValue());
    tracker.advanceTo(close + IncrementalStreamTracker.CLOSED_MICROS - 1);
    assertThat(tracker.tupleCount(), equalTo(1));
    tracker.advanceTo(close + IncrementalStreamTracker.CLOSED_MICROS);
    assertThat(tracker.tupleCount(), equalTo(0));
    // Seen again: a new connection (a run without windows would take this ACK as trailing).
    assertThat(
        s(close + IncrementalStreamTracker.CLOSED_MICROS, ACK),
        equalTo(close + IncrementalStreamTracker.CLOSED_MICROS));
  }

  @Test
  void anIdleTupleIsForgottenAfterTheKeepaliveBound() {
    tracker.pairKnown(CLIENT, BACKEND, DNS);
    long last = 2000;
    assertThat(c(last, ACK), equalTo(last));
    assertThat(c(last + IncrementalStreamTracker.IDLE_MICROS - 1, ACK), nullValue());
    long later = last + 2 * IncrementalStreamTracker.IDLE_MICROS - 1;
    assertThat(c(later, ACK), equalTo(later));
  }

  @Test
  void aLatePacketIsCountedAsLateAndTakesTheTupleAsItIs() {
    tracker.pairKnown(CLIENT, BACKEND, DNS);
    assertThat(c(5000, ACK), equalTo(5000L));
    int other = CLIENT_PORT + 1;
    assertThat(
        tracker.packet(4000, CLIENT, other, BACKEND, PORT, ACK, 0).timeMicros(), equalTo(4000L));
    assertThat(tracker.latePackets(), equalTo(1L));
    // Time has passed 10000: a packet before it is late, though no packet after it came yet.
    tracker.advanceTo(10_000);
    assertThat(
        tracker.packet(6000, CLIENT, other + 1, BACKEND, PORT, ACK, 0).timeMicros(),
        equalTo(6000L));
    assertThat(tracker.latePackets(), equalTo(2L));
  }

  @Test
  void aTrackerWrittenAndReadGoesOnAsTheOriginal() throws IOException {
    tracker.pairKnown(CLIENT, BACKEND, DNS);
    c(500, ACK);
    c(2000, SYN, 1);
    s(2001, SYN | ACK);
    IncrementalStreamTracker copy = copy(tracker);
    assertThat(bytes(copy), equalTo(bytes(tracker)));
    for (IncrementalStreamTracker t : List.of(tracker, copy)) {
      assertThat(t.packet(2002, CLIENT, CLIENT_PORT, BACKEND, PORT, ACK, 0), nullValue());
      assertThat(t.packet(2003, CLIENT, CLIENT_PORT, BACKEND, PORT, SYN, 2).id(), equalTo(1L));
    }
  }

  /** One packet of a random stream of the 4-tuple, {@code fromLow} from the client side. */
  private record Pkt(long t, long offset, boolean fromLow, int flags, long seq) {}

  @Test
  void randomStreamsGiveTheConnectionsOfTheRunWithoutWindows() {
    Random random = new Random(7);
    int[] flagChoices = {ACK, ACK, ACK, SYN, SYN | ACK, FIN | ACK, RST, SYN | 0x40};
    FourTuple tuple = FourTuple.of(CLIENT, CLIENT_PORT, BACKEND, PORT);
    for (int round = 0; round < 3000; round++) {
      List<Pkt> pkts = new ArrayList<>();
      int n = 1 + random.nextInt(14);
      for (int i = 0; i < n; i++) {
        pkts.add(
            new Pkt(
                random.nextInt(8) * 300L,
                i,
                random.nextBoolean(),
                flagChoices[random.nextInt(flagChoices.length)],
                random.nextInt(3)));
      }
      Long lowFirstSeen = random.nextInt(4) == 0 ? null : (long) random.nextInt(2400);
      Long highFirstSeen =
          lowFirstSeen == null || random.nextInt(3) == 0 ? (long) random.nextInt(2400) : null;
      StreamFragment.Builder fragment = new StreamFragment.Builder(lowFirstSeen, highFirstSeen);
      pkts.forEach(
          p -> fragment.add(new OrderKey(p.t(), "f", p.offset()), p.fromLow(), p.flags(), p.seq()));
      List<BackendPort> expected = StreamTracker.countedConnections(tuple, fragment.build());

      IncrementalStreamTracker incremental = new IncrementalStreamTracker();
      List<BackendPort> actual = new ArrayList<>();
      pkts.sort(Comparator.comparingLong(Pkt::t).thenComparingLong(Pkt::offset));
      boolean lowTold = false;
      boolean highTold = false;
      for (Pkt p : pkts) {
        if (!lowTold && lowFirstSeen != null && lowFirstSeen <= p.t()) {
          incremental.pairKnown(CLIENT, BACKEND, lowFirstSeen);
          lowTold = true;
        }
        if (!highTold && highFirstSeen != null && highFirstSeen <= p.t()) {
          incremental.pairKnown(BACKEND, CLIENT, highFirstSeen);
          highTold = true;
        }
        IncrementalStreamTracker.Counted counted =
            p.fromLow()
                ? incremental.packet(p.t(), CLIENT, CLIENT_PORT, BACKEND, PORT, p.flags(), p.seq())
                : incremental.packet(p.t(), BACKEND, PORT, CLIENT, CLIENT_PORT, p.flags(), p.seq());
        if (counted != null) {
          actual.add(new BackendPort(counted.client(), counted.backend(), counted.port()));
        }
      }
      assertThat(
          "packets " + pkts + " " + lowFirstSeen + " " + highFirstSeen, actual, equalTo(expected));
    }
  }

  private static IncrementalStreamTracker copy(IncrementalStreamTracker t) throws IOException {
    return IncrementalStreamTracker.readFrom(
        new DataInputStream(new ByteArrayInputStream(bytes(t))));
  }

  private static byte[] bytes(IncrementalStreamTracker t) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    t.writeTo(new DataOutputStream(bytes));
    return bytes.toByteArray();
  }
}
