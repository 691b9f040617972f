package dev.connbal.transforms.testing;

import dev.connbal.snoop.SnoopWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An Ethernet snoop capture assembled in a test: frames at timestamps, in the order given (not
 * sorted, so tests can write out-of-order files), written with {@link SnoopWriter}.
 *
 * <pre>{@code
 * Path file = Capture.at(100, 0, Packets.dnsQuery(...))
 *     .then(100, 2_000, Packets.dnsResponse(...))
 *     .then(101, 0, Packets.syn(...))
 *     .writeTo(tempDir.resolve("a.snoop"));
 * }</pre>
 *
 * <p>Immutable: each {@link #then} returns a new capture.
 */
public final class Capture {
  private final List<Entry> entries;

  private Capture(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /** A capture without packets (the file holds only the snoop header). */
  public static Capture empty() {
    return new Capture(List.of());
  }

  /** A capture whose first packet is {@code frame} at {@code seconds}.{@code micros}. */
  public static Capture at(long seconds, int micros, byte[] frame) {
    return empty().then(seconds, micros, frame);
  }

  /** This capture with {@code frame} appended at {@code seconds}.{@code micros}. */
  public Capture then(long seconds, int micros, byte[] frame) {
    List<Entry> more = new ArrayList<>(entries);
    more.add(new Entry(seconds, micros, frame.clone()));
    return new Capture(more);
  }

  /** Number of packets. */
  public int size() {
    return entries.size();
  }

  /** Writes the snoop file to {@code file} (created or replaced) and returns {@code file}. */
  public Path writeTo(Path file) {
    try (OutputStream out = Files.newOutputStream(file)) {
      write(out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write capture " + file, e);
    }
    return file;
  }

  /** The snoop file as bytes. */
  public byte[] toBytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private void write(OutputStream out) throws IOException {
    SnoopWriter writer = SnoopWriter.ethernet(out);
    for (Entry e : entries) {
      writer.write(e.seconds, e.micros, e.frame);
    }
    out.flush();
  }

  private static final class Entry {
    final long seconds;
    final int micros;
    final byte[] frame;

    Entry(long seconds, int micros, byte[] frame) {
      this.seconds = seconds;
      this.micros = micros;
      this.frame = frame;
    }
  }
}
