package dev.connbal.transforms.count;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.connbal.transforms.decode.TcpFlags;
import dev.connbal.transforms.events.OrderKey;
import dev.connbal.transforms.events.StreamFragment;
import dev.connbal.transforms.keys.FourTuple;
import dev.connbal.transforms.keys.IpAddress;
import dev.connbal.transforms.testing.Packets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The all-streams (-a) rules of SEMANTICS.md on the pure-Java {@link StreamTracker} and {@link
 * StreamFragment}: connection tracking, the "known at the time of any non-FIN/RST packet" rule, and
 * that fragments merged in any grouping give the same result as a direct replay of every packet.
 */
class StreamTrackerTest {
  private static final IpAddress CLIENT = Packets.ip("10.0.0.1");
  private static final IpAddress BACKEND = Packets.ip("192.168.1.1");
  private static final int CLIENT_PORT = 40000;
  private static final int PORT = 443;
  private static final FourTuple TUPLE = FourTuple.of(CLIENT, CLIENT_PORT, BACKEND, PORT);
  private static final BackendPort COUNTED = new BackendPort(CLIENT, BACKEND, PORT);
  private static final long DNS = 1_000;
  private static final int SYN = TcpFlags.SYN;
  private static final int ACK = TcpFlags.ACK;
  private static final int FIN = TcpFlags.FIN;
  private static final int RST = TcpFlags.RST;

  /** One packet of the stream. */
  private record Pkt(long t, long offset, boolean fromClient, int flags, long seq) {
    OrderKey key() {
      return new OrderKey(t, "capture.snoop", offset);
    }
  }

  private final List<Pkt> packets = new ArrayList<>();

  private StreamTrackerTest p(long t, boolean fromClient, int flags, long seq) {
    packets.add(new Pkt(t, packets.size(), fromClient, flags, seq));
    return this;
  }

  private StreamTrackerTest c(long t, int flags) {
    return p(t, true, flags, 0);
  }

  private StreamTrackerTest s(long t, int flags) {
    return p(t, false, flags, 0);
  }

  private static StreamFragment fragment(
      List<Pkt> pkts, Long clientFirstSeen, Long reverseFirstSeen) {
    // CLIENT (10.x) is the low endpoint of TUPLE.
    StreamFragment.Builder b = new StreamFragment.Builder(clientFirstSeen, reverseFirstSeen);
    for (Pkt p : pkts) {
      b.add(p.key(), p.fromClient(), p.flags(), p.seq());
    }
    return b.build();
  }

  private List<BackendPort> counted() {
    return StreamTracker.countedConnections(TUPLE, fragment(packets, DNS, null));
  }

  @Test
  void newConnectionAfterDnsCounts() {
    c(2000, SYN).s(2001, SYN | ACK).c(2002, ACK).c(3000, FIN | ACK);
    assertThat(counted(), contains(COUNTED));
  }

  @Test
  void streamAlreadyOpenAndUsedAfterDnsCounts() {
    // No SYN in the capture: the first packet opens the connection.
    c(500, ACK).s(1500, ACK);
    assertThat(counted(), contains(COUNTED));
  }

  @Test
  void packetsOfEitherSideCount() {
    c(500, ACK).s(1500, ACK);
    assertThat(counted(), contains(COUNTED));
    packets.clear();
    s(500, ACK).s(1000, ACK);
    assertThat(counted(), contains(COUNTED));
  }

  @Test
  void streamClosedBeforeDnsDoesNotCount() {
    c(100, SYN).s(101, SYN | ACK).c(102, ACK).c(200, FIN | ACK).s(201, FIN | ACK).c(1500, ACK);
    assertThat(counted(), empty());
  }

  @Test
  void onlyFinOrRstAfterDnsDoesNotCount() {
    c(100, ACK).c(1500, FIN | ACK).s(1501, RST);
    assertThat(counted(), empty());
  }

  @Test
  void firstPacketFinOpensAndClosesAConnectionThatNeverCounts() {
    s(1500, FIN | ACK).c(1501, ACK).c(1502, ACK);
    assertThat(counted(), empty());
  }

  @Test
  void afterCloseOnlyANewSynOpens() {
    c(1500, ACK).c(1600, RST).c(1700, ACK).s(1800, SYN | ACK).p(1900, true, SYN, 77).c(2000, ACK);
    assertThat(counted(), contains(COUNTED, COUNTED));
  }

  @Test
  void retransmittedSynIsTheSameConnection() {
    p(1500, true, SYN, 5).p(2500, true, SYN, 5).p(4500, true, SYN, 5);
    assertThat(counted(), hasSize(1));
  }

  @Test
  void synWithNewIsnWhileOpenStartsANewConnection() {
    p(1500, true, SYN, 5).s(1501, SYN | ACK).c(1502, ACK).p(1600, true, SYN, 6);
    assertThat(counted(), hasSize(2));
  }

  @Test
  void synRetransmittedAfterDnsMakesAnEarlierAttemptCount() {
    p(500, true, SYN, 5).p(1500, true, SYN, 5);
    assertThat(counted(), contains(COUNTED));
  }

  @Test
  void packetExactlyAtDnsTimeCounts() {
    c(999, ACK).c(DNS, ACK);
    assertThat(counted(), contains(COUNTED));
  }

  @Test
  void bothOrientationsAPairTheOpenerIsTheClient() {
    // The backend is also a DNS backend *of* the client; the SYN sender is the client.
    p(1500, false, SYN, 9).c(1501, SYN | ACK);
    List<BackendPort> counted =
        StreamTracker.countedConnections(TUPLE, fragment(packets, DNS, 100L));
    assertThat(
        counted,
        contains(new BackendPort(/* client= */ BACKEND, /* backend= */ CLIENT, CLIENT_PORT)));
  }

  @Test
  void bothOrientationsAPairTheSideKnownAtTheFirstCountedPacketIsTheClient() {
    // The client opens at 500, when only the reverse pair (the backend resolved the client at 100)
    // is known; its own lookup (at DNS = 1000) comes while the stream is still used. The packet at
    // 500 is the first counted one, and only the reverse orientation is known then.
    c(500, SYN).s(501, SYN | ACK).c(502, ACK).c(1500, ACK).c(1600, FIN | ACK);
    List<BackendPort> counted =
        StreamTracker.countedConnections(TUPLE, fragment(packets, DNS, 100L));
    assertThat(
        counted,
        contains(new BackendPort(/* client= */ BACKEND, /* backend= */ CLIENT, CLIENT_PORT)));
  }

  @Test
  void fragmentsMergeToTheSameResultAsADirectReplayOfEveryPacket() {
    Random random = new Random(42);
    int[] flagChoices = {
      ACK, ACK, ACK, ACK | 0x08, SYN, SYN | ACK, FIN | ACK, RST, RST | ACK, SYN | 0x40 | 0x80
    };
    for (int round = 0; round < 3000; round++) {
      packets.clear();
      int n = 1 + random.nextInt(14);
      for (int i = 0; i < n; i++) {
        long t = random.nextInt(8) * 300L; // many ties, some at exactly DNS-ish times
        p(
            t,
            random.nextBoolean(),
            flagChoices[random.nextInt(flagChoices.length)],
            random.nextInt(3));
      }
      Long reverse = random.nextInt(4) == 0 ? (long) random.nextInt(2400) : null;
      List<BackendPort> expected = directReplay(packets, DNS, reverse);

      // Cut the packets (in file order, shuffled to mimic unordered files) into random bundles.
      List<Pkt> shuffled = new ArrayList<>(packets);
      Collections.shuffle(shuffled, random);
      List<StreamFragment> fragments = new ArrayList<>();
      int from = 0;
      while (from < shuffled.size()) {
        int to = from + 1 + random.nextInt(shuffled.size() - from);
        fragments.add(fragment(shuffled.subList(from, to), DNS, reverse));
        from = to;
      }
      Collections.shuffle(fragments, random);
      StreamFragment merged = fragments.get(0);
      for (StreamFragment f : fragments.subList(1, fragments.size())) {
        merged =
            random.nextBoolean()
                ? StreamFragment.merge(merged, f)
                : StreamFragment.merge(f, merged);
      }
      List<BackendPort> actual = StreamTracker.countedConnections(TUPLE, merged);
      assertThat("packets " + packets + " reverse " + reverse, actual, equalTo(expected));
    }
  }

  /** SEMANTICS.md's all-streams rules applied packet by packet, without any compression. */
  private static List<BackendPort> directReplay(
      List<Pkt> pkts, Long clientFirstSeen, Long reverseFirstSeen) {
    List<Pkt> sorted = new ArrayList<>(pkts);
    sorted.sort(Comparator.comparing(Pkt::key));
    List<BackendPort> counted = new ArrayList<>();
    boolean seen = false;
    boolean open = false;
    boolean clientIsLow = true;
    boolean openerIsLow = true;
    Long isn = null;
    boolean counts = false;
    for (Pkt p : sorted) {
      boolean first = !seen;
      seen = true;
      boolean opensNew;
      if (TcpFlags.closes(p.flags())) {
        if (open && counts) {
          counted.add(port(clientIsLow));
        }
        open = false;
        continue;
      } else if (TcpFlags.isOpeningSyn(p.flags())) {
        opensNew = !open || isn == null || isn != p.seq();
      } else {
        opensNew = first;
      }
      if (opensNew) {
        if (open && counts) {
          counted.add(port(clientIsLow));
        }
        open = true;
        counts = false;
        isn = TcpFlags.isOpeningSyn(p.flags()) ? p.seq() : null;
        openerIsLow = p.fromClient();
      }
      if (open && !counts) {
        // The first packet at which some orientation's backend is known decides the client: that
        // orientation, or the opener when both are known by then.
        boolean lowKnown = clientFirstSeen != null && p.t() >= clientFirstSeen;
        boolean highKnown = reverseFirstSeen != null && p.t() >= reverseFirstSeen;
        counts = lowKnown || highKnown;
        clientIsLow = lowKnown && highKnown ? openerIsLow : lowKnown;
      }
    }
    if (open && counts) {
      counted.add(port(clientIsLow));
    }
    return counted;
  }

  private static BackendPort port(boolean clientIsLow) {
    return clientIsLow
        ? COUNTED
        : new BackendPort(/* client= */ BACKEND, /* backend= */ CLIENT, CLIENT_PORT);
  }
}
