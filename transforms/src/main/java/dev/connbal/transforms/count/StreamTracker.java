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
 * to, if the backend was known at the time of any of its packets other than FIN/RST.
 *
 * <p>Pure Java, so the rules can be tested without Beam.
 */
public final class StreamTracker {
  private StreamTracker() {}

  /** One replayed packet: a marker, or one of the kept ordinary packets. */
  private record Step(StreamFragment.Packet packet, StreamFragment.MarkerKind marker, long isn) {}

  /** The connection being replayed. */
  private static final class Connection {
    final boolean lowIsClient;
    final long firstSeen;
    final Long isn;
    boolean counts;

    Connection(boolean lowIsClient, long firstSeen, Long isn) {
      this.lowIsClient = lowIsClient;
      this.firstSeen = firstSeen;
      this.isn = isn;
    }

    void sawPacketAt(long timestampMicros) {
      counts |= timestampMicros >= firstSeen;
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
          open = open(fragment, s.packet().fromLow(), s.isn());
        }
        open.sawPacketAt(t);
      } else if (open != null) {
        open.sawPacketAt(t);
      } else if (first) {
        open = open(fragment, s.packet().fromLow(), null);
        open.sawPacketAt(t);
      }
      // An ordinary packet after a close is a trailing packet of the closed stream: ignored.
    }
    finish(tuple, open, counted);
    return counted;
  }

  /**
   * Opens a connection. Its client is the side whose (client, backend) pair DNS produced; when both
   * orientations are DNS pairs, the side that sent the opening packet.
   */
  private static Connection open(StreamFragment f, boolean openerIsLow, Long isn) {
    boolean lowIsClient;
    if (f.lowClientFirstSeen() != null && f.highClientFirstSeen() != null) {
      lowIsClient = openerIsLow;
    } else {
      lowIsClient = f.lowClientFirstSeen() != null;
    }
    return new Connection(
        lowIsClient, lowIsClient ? f.lowClientFirstSeen() : f.highClientFirstSeen(), isn);
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
