package dev.connbal.bench;

import dev.connbal.snoop.BigEndian;
import dev.connbal.snoop.LinkTypes;
import dev.connbal.snoop.SnoopWriter;
import dev.connbal.transforms.decode.DecodeStats;
import dev.connbal.transforms.decode.DnsMessage;
import dev.connbal.transforms.decode.FrameDecoder;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Decode-only throughput, a diagnostic beside {@link ParseThroughput}: the same decoding ({@link
 * FrameDecoder} on every record, {@link DnsMessage#decode} on every DNS payload) over records read
 * by a plain sequential loop, without Beam and without SnoopIO. The difference between the two
 * figures is what the reader and the runner cost.
 *
 * <p>The loop trusts the file's record lengths (it is for well-formed captures such as {@link
 * TrafficGenerator}'s; it stops with an error at anything else) and copies each frame into its own
 * array, as a {@code SnoopRecord} holds it.
 *
 * <pre>DecodeThroughput FILE</pre>
 *
 * prints one line of {@code key=value} fields: bytes, packets, tcpSegments, dnsMessages,
 * dnsMalformed, wallSeconds, mbPerSecond, packetsPerSecond.
 */
public final class DecodeThroughput {
  private DecodeThroughput() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: DecodeThroughput FILE");
      System.exit(1);
    }
    run(Path.of(args[0]), System.out);
  }

  static void run(Path file, PrintStream out) throws IOException {
    long bytes = Files.size(file);
    CountingVisitor visitor = new CountingVisitor();
    DecodeStats stats = new DecodeStats();
    long start = System.nanoTime();
    try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 20)) {
      byte[] fileHeader = in.readNBytes(SnoopWriter.FILE_HEADER_LENGTH);
      if (fileHeader.length != SnoopWriter.FILE_HEADER_LENGTH
          || !Arrays.equals(Arrays.copyOf(fileHeader, 8), SnoopWriter.MAGIC)) {
        throw new IOException(file + ": not a snoop file");
      }
      int linkType = LinkTypes.fromSnoopDatalink(BigEndian.i32(fileHeader, 12));
      byte[] header = new byte[SnoopWriter.RECORD_HEADER_LENGTH];
      long offset = SnoopWriter.FILE_HEADER_LENGTH;
      while (true) {
        int n = in.readNBytes(header, 0, header.length);
        if (n == 0) {
          break;
        }
        int included = BigEndian.i32(header, 4);
        int recordLength = BigEndian.i32(header, 8);
        if (n < header.length || included < 0 || recordLength < (long) header.length + included) {
          throw new IOException(file + ": bad record header at offset " + offset);
        }
        byte[] frame = in.readNBytes(included);
        long padding = (long) recordLength - header.length - included;
        if (frame.length < included || in.skip(padding) != padding) {
          throw new EOFException(file + ": truncated record at offset " + offset);
        }
        FrameDecoder.decode(frame, linkType, visitor, stats);
        offset += recordLength;
      }
    }
    double wall = (System.nanoTime() - start) / 1e9;
    out.printf(
        "bytes=%d packets=%d tcpSegments=%d dnsMessages=%d dnsMalformed=%d wallSeconds=%.3f"
            + " mbPerSecond=%.1f packetsPerSecond=%.0f%n",
        bytes,
        stats.frames,
        visitor.tcpSegments,
        visitor.dnsMessages,
        visitor.dnsMalformed,
        wall,
        bytes / wall / 1e6,
        stats.frames / wall);
  }
}
