package dev.connbal.transforms.count;

import dev.connbal.transforms.decode.TcpFlags;
import dev.connbal.transforms.keys.ClientBackend;
import dev.connbal.transforms.keys.FourTuple;
import dev.connbal.transforms.keys.IpAddress;
import dev.connbal.transforms.timeline.TimelineState;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The all-streams (-a) rules of {@link StreamTracker}, packet by packet in capture-time order, for
 * a run with windows: it hears of each DNS (client, backend) pair when the pair first appears
 * ({@link #pairKnown}) and of each TCP packet as time passes it ({@link #packet}), and says which
 * packet is a connection's first counted one (a packet other than FIN/RST at which the backend is
 * known), so that the connection counts in that packet's window. The rules are those of a run
 * without windows: the first packet of a 4-tuple opens a connection, FIN or RST closes it, after a
 * close only a SYN without ACK opens the next one, a SYN with a new ISN on an open connection
 * starts a new one, and the client is the side whose backend is known at the first counted packet
 * (both: the opener; {@link StreamTracker.Side#atPacket}).
 *
 * <p>State is bounded: pairs stay (one entry per DNS pair, like a timeline's facts), and a 4-tuple
 * is forgotten {@link #CLOSED_MICROS} after its close (2 MSL: a closing TCP waits that long before
 * the 4-tuple may be reused) or {@link #IDLE_MICROS} after its latest packet (the keepalive of a
 * default Linux TCP, 2 h, and its nine probes 75 s apart: a connection that lives with keepalive
 * sends something within that time, and the kernel gives up a silent peer). A 4-tuple seen again
 * after it was forgotten starts afresh: its first packet opens a connection, where a run without
 * windows would have taken a trailing ACK of the closed stream as nothing and a long-silent stream
 * as the same connection. Forgetting depends on capture time only, so every firing pattern gives
 * the same connections.
 *
 * <p>Packets older than the latest one seen, or than the time {@link #advanceTo} said has passed,
 * are late: they are applied to their 4-tuple as it is when they arrive, and counted ({@link
 * #latePackets}).
 */
public final class IncrementalStreamTracker {
  /** Twice the maximum segment lifetime (2 x 60 s, RFC 9293's TIME-WAIT). */
  public static final long CLOSED_MICROS = 120_000_000L;

  /**
   * 2 h 20 min: Linux's default keepalive (tcp_keepalive_time 7200 s, then 9 probes 75 s apart, 2 h
   * 11 min 15 s in all) with a margin.
   */
  public static final long IDLE_MICROS = (2 * 3600L + 20 * 60) * 1_000_000L;

  /**
   * A counted connection: {@code client} to {@code backend}:{@code port}, whose first counted
   * packet was at {@code timeMicros}; {@code id} is unique among the connections of this tracker.
   */
  public record Counted(IpAddress client, IpAddress backend, int port, long timeMicros, long id) {}

  /** What is known of one 4-tuple. */
  private static final class Tuple {
    boolean closed;
    boolean openerIsLow;
    boolean hasIsn;
    long isn;
    boolean counted;
    long latestMicros;
    long closedMicros;
  }

  /** The order {@link #writeTo} writes 4-tuples in: by low endpoint, then high. */
  private static final Comparator<FourTuple> TUPLE_ORDER =
      Comparator.comparing(FourTuple::lowIp)
          .thenComparingInt(FourTuple::lowPort)
          .thenComparing(FourTuple::highIp)
          .thenComparingInt(FourTuple::highPort);

  /** First appearance of each DNS pair. */
  private final Map<ClientBackend, Long> pairs = new HashMap<>();

  private final Map<FourTuple, Tuple> tuples = new HashMap<>();

  private long latestMicros = Long.MIN_VALUE;
  private long connections;
  private long latePackets;

  /** DNS named {@code backend} to {@code client} first at {@code fromMicros}. */
  public void pairKnown(IpAddress client, IpAddress backend, long fromMicros) {
    pairs.merge(ClientBackend.of(client, backend), fromMicros, Math::min);
  }

  /**
   * A TCP packet from {@code srcIp:srcPort} to {@code dstIp:dstPort} at {@code timeMicros} with
   * {@code flags} and sequence number {@code seq}; the connection it is the first counted packet
   * of, or null.
   */
  public @Nullable Counted packet(
      long timeMicros,
      IpAddress srcIp,
      int srcPort,
      IpAddress dstIp,
      int dstPort,
      int flags,
      long seq) {
    if (timeMicros < latestMicros) {
      latePackets++;
    } else {
      latestMicros = timeMicros;
    }
    FourTuple key = FourTuple.of(srcIp, srcPort, dstIp, dstPort);
    boolean fromLow = FourTuple.isLow(srcIp, srcPort, dstIp, dstPort);
    Tuple tuple = tuples.get(key);
    if (tuple != null && expired(tuple, timeMicros)) {
      tuple = null;
    }
    if (tuple == null) {
      tuple = new Tuple();
      tuples.put(key, tuple);
      open(tuple, fromLow, flags, seq);
      tuple.latestMicros = timeMicros;
    }
    tuple.latestMicros = Math.max(tuple.latestMicros, timeMicros);
    if (TcpFlags.closes(flags)) {
      // Also a first packet FIN/RST: it opens and closes a connection that never counts.
      if (!tuple.closed) {
        tuple.closed = true;
        tuple.closedMicros = timeMicros;
      }
      return null;
    }
    if (TcpFlags.isOpeningSyn(flags)) {
      if (tuple.closed || !tuple.hasIsn || tuple.isn != seq) {
        open(tuple, fromLow, flags, seq);
      }
    } else if (tuple.closed) {
      return null; // a trailing packet of a closed connection opens nothing
    }
    return counts(key, tuple, timeMicros);
  }

  /**
   * Time has passed {@code nowMicros}: a packet before it is late from now on, and the 4-tuples
   * that no packet at or after it can find again are forgotten.
   */
  public void advanceTo(long nowMicros) {
    latestMicros = Math.max(latestMicros, nowMicros);
    tuples.values().removeIf(t -> expired(t, nowMicros));
  }

  /** Packets that came after a later one, or after time had passed them. */
  public long latePackets() {
    return latePackets;
  }

  /** How many 4-tuples and pairs are held; for tests of the bound. */
  public int tupleCount() {
    return tuples.size();
  }

  public int pairCount() {
    return pairs.size();
  }

  private static boolean expired(Tuple t, long nowMicros) {
    return t.closed
        ? nowMicros - t.closedMicros >= CLOSED_MICROS
        : nowMicros - t.latestMicros >= IDLE_MICROS;
  }

  private static void open(Tuple t, boolean fromLow, int flags, long seq) {
    t.closed = false;
    t.closedMicros = 0;
    t.counted = false;
    t.openerIsLow = fromLow;
    t.hasIsn = TcpFlags.isOpeningSyn(flags);
    t.isn = t.hasIsn ? seq : 0;
  }

  /**
   * The connection of {@code t}, when the packet at {@code timeMicros} is its first counted one.
   */
  private @Nullable Counted counts(FourTuple key, Tuple t, long timeMicros) {
    if (t.counted) {
      return null;
    }
    StreamTracker.Side side =
        StreamTracker.Side.atPacket(
            pairs.get(ClientBackend.of(key.lowIp(), key.highIp())),
            pairs.get(ClientBackend.of(key.highIp(), key.lowIp())),
            t.openerIsLow,
            timeMicros);
    if (side == StreamTracker.Side.NONE) {
      return null;
    }
    t.counted = true;
    long id = connections++;
    return side == StreamTracker.Side.LOW
        ? new Counted(key.lowIp(), key.highIp(), key.highPort(), timeMicros, id)
        : new Counted(key.highIp(), key.lowIp(), key.lowPort(), timeMicros, id);
  }

  /** Writes the tracker, maps in key order, so that equal trackers write equal bytes. */
  public void writeTo(DataOutput out) throws IOException {
    out.writeLong(latestMicros);
    out.writeLong(connections);
    out.writeLong(latePackets);
    out.writeInt(pairs.size());
    for (Map.Entry<ClientBackend, Long> e : new TreeMap<>(pairs).entrySet()) {
      e.getKey().client().writeData(out);
      e.getKey().backend().writeData(out);
      out.writeLong(e.getValue());
    }
    out.writeInt(tuples.size());
    TreeMap<FourTuple, Tuple> sorted = new TreeMap<>(TUPLE_ORDER);
    sorted.putAll(tuples);
    for (Map.Entry<FourTuple, Tuple> e : sorted.entrySet()) {
      FourTuple k = e.getKey();
      Tuple t = e.getValue();
      k.lowIp().writeData(out);
      out.writeShort(k.lowPort());
      k.highIp().writeData(out);
      out.writeShort(k.highPort());
      out.writeByte(
          (t.closed ? 1 : 0) | (t.openerIsLow ? 2 : 0) | (t.hasIsn ? 4 : 0) | (t.counted ? 8 : 0));
      out.writeLong(t.isn);
      out.writeLong(t.latestMicros);
      out.writeLong(t.closedMicros);
    }
  }

  /** The tracker {@link #writeTo} wrote. */
  public static IncrementalStreamTracker readFrom(DataInput in) throws IOException {
    IncrementalStreamTracker tracker = new IncrementalStreamTracker();
    tracker.latestMicros = in.readLong();
    tracker.connections = in.readLong();
    tracker.latePackets = in.readLong();
    for (int i = TimelineState.count(in); i > 0; i--) {
      tracker.pairs.put(
          ClientBackend.of(IpAddress.readData(in), IpAddress.readData(in)), in.readLong());
    }
    for (int i = TimelineState.count(in); i > 0; i--) {
      FourTuple k =
          new FourTuple(
              IpAddress.readData(in),
              in.readUnsignedShort(),
              IpAddress.readData(in),
              in.readUnsignedShort());
      Tuple t = new Tuple();
      int bits = in.readByte();
      t.closed = (bits & 1) != 0;
      t.openerIsLow = (bits & 2) != 0;
      t.hasIsn = (bits & 4) != 0;
      t.counted = (bits & 8) != 0;
      t.isn = in.readLong();
      t.latestMicros = in.readLong();
      t.closedMicros = in.readLong();
      tracker.tuples.put(k, t);
    }
    return tracker;
  }
}
