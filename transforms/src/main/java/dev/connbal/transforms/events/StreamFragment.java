package dev.connbal.transforms.events;

import dev.connbal.transforms.count.StreamTracker;
import dev.connbal.transforms.decode.TcpFlags;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the packets of one 4-tuple seen so far (by one bundle, or by several once merged) tell the
 * all-streams state machine ({@link StreamTracker}), compressed so that per-bundle pre-aggregation
 * keeps a few values per stream instead of its packets.
 *
 * <p><b>What is kept and why it is exact.</b> SYN-without-ACK, FIN and RST packets change the state
 * of a stream, so each is kept as a {@link Marker} with its timeline key (SYNs with their ISN).
 * Ordinary packets (everything else) only do two things: the very first packet of the stream opens
 * a connection, and a packet at or after the backend's first DNS appearance {@code A} makes the
 * connection it belongs to count. So of the ordinary packets only three are kept: the earliest,
 * and, for each orientation that is a DNS (client, backend) pair, the earliest one at or after that
 * pair's {@code A}. That is enough: a connection opened at or after {@code A} by a SYN or an
 * ordinary packet counts through its opening packet; a connection opened before {@code A} has an
 * ordinary packet at or after {@code A} before its close exactly when the earliest such packet of
 * the whole stream comes before its close (later ones come later still).
 *
 * <p><b>How fragments merge.</b> {@link #merge} is associative and commutative: markers are merged
 * in timeline order, and each kept ordinary packet is the earlier of the two. So bundles may cut a
 * stream anywhere, in any file order, and the merged fragment equals the fragment of all packets at
 * once; {@link StreamTracker} then replays it in timeline order.
 *
 * @param lowClientFirstSeen first DNS appearance of the backend when the low endpoint is the
 *     client, or null when (low, high) is not a DNS pair
 * @param highClientFirstSeen likewise when the high endpoint is the client
 * @param markers SYN, FIN and RST packets in timeline order
 * @param firstOrdinary the earliest ordinary packet, or null
 * @param firstOrdinaryLowClientKnown the earliest ordinary packet at or after {@code
 *     lowClientFirstSeen}, or null
 * @param firstOrdinaryHighClientKnown the earliest ordinary packet at or after {@code
 *     highClientFirstSeen}, or null
 */
public record StreamFragment(
    Long lowClientFirstSeen,
    Long highClientFirstSeen,
    List<Marker> markers,
    Packet firstOrdinary,
    Packet firstOrdinaryLowClientKnown,
    Packet firstOrdinaryHighClientKnown) {

  /** A packet on the timeline and which endpoint sent it. */
  public record Packet(OrderKey key, boolean fromLow) {}

  /** The kinds of state-changing packets. */
  public enum MarkerKind {
    /** SYN set, ACK/FIN/RST clear: may open a connection. */
    SYN,
    /** FIN or RST set: closes the open connection. */
    CLOSE
  }

  /** A state-changing packet; {@code isn} is the sequence number of a SYN, 0 otherwise. */
  public record Marker(Packet packet, MarkerKind kind, long isn) {}

  public StreamFragment {
    if (lowClientFirstSeen == null && highClientFirstSeen == null) {
      throw new IllegalArgumentException("a stream fragment needs a DNS pair in some orientation");
    }
    markers = List.copyOf(markers);
  }

  /** The fragment of the packets of both fragments (same 4-tuple, hence same pairs). */
  public static StreamFragment merge(StreamFragment a, StreamFragment b) {
    if (!Objects.equals(a.lowClientFirstSeen, b.lowClientFirstSeen)
        || !Objects.equals(a.highClientFirstSeen, b.highClientFirstSeen)) {
      throw new IllegalArgumentException("fragments of one stream disagree on its DNS pairs");
    }
    List<Marker> markers = new ArrayList<>(a.markers.size() + b.markers.size());
    int i = 0;
    int j = 0;
    while (i < a.markers.size() || j < b.markers.size()) {
      if (j == b.markers.size()
          || (i < a.markers.size()
              && a.markers.get(i).packet().key().compareTo(b.markers.get(j).packet().key()) <= 0)) {
        markers.add(a.markers.get(i++));
      } else {
        markers.add(b.markers.get(j++));
      }
    }
    return new StreamFragment(
        a.lowClientFirstSeen,
        a.highClientFirstSeen,
        markers,
        earlier(a.firstOrdinary, b.firstOrdinary),
        earlier(a.firstOrdinaryLowClientKnown, b.firstOrdinaryLowClientKnown),
        earlier(a.firstOrdinaryHighClientKnown, b.firstOrdinaryHighClientKnown));
  }

  private static Packet earlier(Packet a, Packet b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return a.key().compareTo(b.key()) <= 0 ? a : b;
  }

  /** Collects one bundle's packets of one 4-tuple. Not thread-safe. */
  public static final class Builder {
    private final Long lowClientFirstSeen;
    private final Long highClientFirstSeen;
    private final List<Marker> markers = new ArrayList<>();
    private Packet firstOrdinary;
    private Packet firstOrdinaryLowClientKnown;
    private Packet firstOrdinaryHighClientKnown;

    public Builder(Long lowClientFirstSeen, Long highClientFirstSeen) {
      this.lowClientFirstSeen = lowClientFirstSeen;
      this.highClientFirstSeen = highClientFirstSeen;
    }

    public void add(OrderKey key, boolean fromLow, int flags, long seq) {
      Packet packet = new Packet(key, fromLow);
      if (TcpFlags.closes(flags)) {
        markers.add(new Marker(packet, MarkerKind.CLOSE, 0));
      } else if (TcpFlags.isOpeningSyn(flags)) {
        markers.add(new Marker(packet, MarkerKind.SYN, seq));
      } else {
        long t = key.timestampMicros();
        firstOrdinary = earlier(firstOrdinary, packet);
        if (lowClientFirstSeen != null && t >= lowClientFirstSeen) {
          firstOrdinaryLowClientKnown = earlier(firstOrdinaryLowClientKnown, packet);
        }
        if (highClientFirstSeen != null && t >= highClientFirstSeen) {
          firstOrdinaryHighClientKnown = earlier(firstOrdinaryHighClientKnown, packet);
        }
      }
    }

    public StreamFragment build() {
      // A bundle may hold a file's packets out of time order; the markers must not be.
      markers.sort((x, y) -> x.packet().key().compareTo(y.packet().key()));
      return new StreamFragment(
          lowClientFirstSeen,
          highClientFirstSeen,
          markers,
          firstOrdinary,
          firstOrdinaryLowClientKnown,
          firstOrdinaryHighClientKnown);
    }
  }
}
