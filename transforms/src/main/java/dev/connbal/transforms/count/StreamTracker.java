package dev.connbal.transforms.count;

import dev.connbal.transforms.events.StreamFragment;
import dev.connbal.transforms.keys.FourTuple;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The all-streams (-a) connection tracking of SEMANTICS.md for one 4-tuple, replaying a merged
 * {@link StreamFragment} in timeline order: the first packet opens a connection, FIN or RST closes
 * it, after a close only a SYN without ACK opens the next one, and a SYN with a new ISN while a
 * connection is open starts a new connection. A connection counts once, for the DNS pair it belongs
 * to, if the backend was known at the time of any of its packets other than FIN/RST; the first such
 * packet decides which side is the client ({@link Side#atPacket}).
 *
 * <p>Pure Java, so the rules can be tested without Beam.
 */
public final class StreamTracker {
  private StreamTracker() {}

  /** One replayed packet: a marker, or one of the kept ordinary packets. */
  private record Step(StreamFragment.Packet packet, StreamFragment.MarkerKind marker, long isn) {}

  /** The connection being replayed. */
  private static final class Connection {
    final StreamFragment fragment;
    final boolean openerIsLow;
    final Long isn;
    boolean counts;
    boolean lowIsClient;

    Connection(StreamFragment fragment, boolean openerIsLow, Long isn) {
      this.fragment = fragment;
      this.openerIsLow = openerIsLow;
      this.isn = isn;
    }

    /** A packet other than FIN/RST at {@code timestampMicros}: the first one counted decides. */
    void sawPacketAt(long timestampMicros) {
      if (counts) {
        return;
      }
      Side side =
          Side.atPacket(
              fragment.lowClientFirstSeen(),
              fragment.highClientFirstSeen(),
              openerIsLow,
              timestampMicros);
      if (side != Side.NONE) {
        counts = true;
        lowIsClient = side == Side.LOW;
      }
    }
  }

  /** Which endpoint of a 4-tuple is the client of a connection at one of its packets. */
  public enum Side {
    LOW,
    HIGH,
    NONE;

    /**
     * The client of a connection at a packet of it at {@code timeMicros} (not FIN/RST), given the
     * first DNS appearance of the backend for each orientation (null: not a DNS pair): the side
     * whose backend is known then; when both are, the side that opened the connection; {@link
     * #NONE} when neither is yet, and the packet does not count.
     */
    public static Side atPacket(
        Long lowClientFirstSeen, Long highClientFirstSeen, boolean openerIsLow, long timeMicros) {
      boolean lowKnown = lowClientFirstSeen != null && timeMicros >= lowClientFirstSeen;
      boolean highKnown = highClientFirstSeen != null && timeMicros >= highClientFirstSeen;
      if (lowKnown && highKnown) {
        return openerIsLow ? LOW : HIGH;
      }
      return lowKnown ? LOW : highKnown ? HIGH : NONE;
    }
  }

  /**
   * The (client, backend, port) of every connection of the stream that counts, one per connection.
   */
  static List<BackendPort> countedConnections(FourTuple tuple, StreamFragment fragment) {
    List<Step> steps = new ArrayList<>();
    for (StreamFragment.Marker m : fragment.markers()) {
      steps.add(new Step(m.packet(), m.kind(), m.isn()));
    }
    for (StreamFragment.Packet p :
        new StreamFragment.Packet[] {
          fragment.firstOrdinary(),
          fragment.firstOrdinaryLowClientKnown(),
          fragment.firstOrdinaryHighClientKnown()
        }) {
      if (p != null) {
        steps.add(new Step(p, null, 0));
      }
    }
    steps.sort(Comparator.comparing(s -> s.packet().key()));

    List<BackendPort> counted = new ArrayList<>();
    Connection open = null;
    boolean anySeen = false;
    for (Step s : steps) {
      boolean first = !anySeen;
      anySeen = true;
      long t = s.packet().key().timestampMicros();
      if (s.marker() == StreamFragment.MarkerKind.CLOSE) {
        // A FIN/RST as the very first packet opens and closes a connection with no other packet.
        finish(tuple, open, counted);
        open = null;
      } else if (s.marker() == StreamFragment.MarkerKind.SYN) {
        if (open == null || open.isn == null || open.isn != s.isn()) {
          finish(tuple, open, counted);
          open = new Connection(fragment, s.packet().fromLow(), s.isn());
        }
        open.sawPacketAt(t);
      } else if (open != null) {
        open.sawPacketAt(t);
      } else if (first) {
        open = new Connection(fragment, s.packet().fromLow(), null);
        open.sawPacketAt(t);
      }
      // An ordinary packet after a close is a trailing packet of the closed stream: ignored.
    }
    finish(tuple, open, counted);
    return counted;
  }

  private static void finish(FourTuple tuple, Connection c, List<BackendPort> counted) {
    if (c != null && c.counts) {
      counted.add(
          c.lowIsClient
              ? new BackendPort(tuple.lowIp(), tuple.highIp(), tuple.highPort())
              : new BackendPort(tuple.highIp(), tuple.lowIp(), tuple.lowPort()));
    }
  }
}
