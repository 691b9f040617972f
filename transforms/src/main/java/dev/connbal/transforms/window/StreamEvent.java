package dev.connbal.transforms.window;

import dev.connbal.transforms.keys.IpAddress;
import dev.connbal.transforms.keys.Shards;
import java.util.Comparator;

/**
 * One event of a stream shard's tracking in a windowed all-streams (-a) run ({@link
 * TrackStreamsFn}): a TCP packet, or the first appearance of a DNS (client, backend) pair. A shard
 * is a shard of unordered pairs of addresses ({@link #shardOf}), so the packets of a 4-tuple and
 * the pairs of both its orientations meet in one.
 *
 * <p>Events run in {@link #ORDER}: by time, at equal times pairs before packets (a packet at the
 * very time of the response that names its backend counts, as in a run without windows), then
 * packets in file order.
 *
 * @param pair whether this is a pair's first appearance ({@code srcIp} the client, {@code dstIp}
 *     the backend) rather than a packet
 * @param flags the TCP flags byte of a packet
 * @param seq the sequence number of a packet
 * @param file the capture of a packet, "" for a pair
 * @param recordOffset the packet's record offset in its capture
 */
public record StreamEvent(
    boolean pair,
    long timeMicros,
    IpAddress srcIp,
    int srcPort,
    IpAddress dstIp,
    int dstPort,
    int flags,
    long seq,
    String file,
    long recordOffset) {

  public static final Comparator<StreamEvent> ORDER =
      Comparator.comparingLong(StreamEvent::timeMicros)
          .thenComparing(e -> !e.pair)
          .thenComparing(StreamEvent::file)
          .thenComparingLong(StreamEvent::recordOffset);

  /** DNS named {@code backend} to {@code client} first at {@code fromMicros}. */
  public static StreamEvent pairKnown(IpAddress client, IpAddress backend, long fromMicros) {
    return new StreamEvent(true, fromMicros, client, 0, backend, 0, 0, 0, "", 0);
  }

  /** A TCP packet, placed at ({@code timeMicros}, {@code file}, {@code recordOffset}). */
  public static StreamEvent packet(
      long timeMicros,
      IpAddress srcIp,
      int srcPort,
      IpAddress dstIp,
      int dstPort,
      int flags,
      long seq,
      String file,
      long recordOffset) {
    return new StreamEvent(
        false, timeMicros, srcIp, srcPort, dstIp, dstPort, flags, seq, file, recordOffset);
  }

  /** The stream shard of the unordered pair of addresses {@code a} and {@code b}. */
  public static int shardOf(Shards shards, IpAddress a, IpAddress b) {
    return shardOf(shards, a.high(), a.low(), b.high(), b.low());
  }

  /** {@link #shardOf} of two addresses given by their halves ({@link IpAddress}). */
  public static int shardOf(Shards shards, long aHigh, long aLow, long bHigh, long bLow) {
    return IpAddress.compare(aHigh, aLow, bHigh, bLow) <= 0
        ? shards.ofPair(aHigh, aLow, bHigh, bLow)
        : shards.ofPair(bHigh, bLow, aHigh, aLow);
  }
}
