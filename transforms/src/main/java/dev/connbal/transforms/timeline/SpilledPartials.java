package dev.connbal.transforms.timeline;

import dev.connbal.transforms.events.DnsEvent;
import dev.connbal.transforms.events.DnsNameTable;
import dev.connbal.transforms.events.DnsPartial;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * The DNS partials of a run, written to a temporary file as they arrive and read back through a
 * small buffer per partial. The timeline merges all partials at once; held on the heap, their
 * encoded events, which grow with the capture's DNS traffic, made the timeline's memory, and the
 * run's peak, grow with the input. Spilled, the merge needs {@value #READ_BUFFER} bytes per
 * partial, and the bytes wait in the page cache, which the kernel can drop, instead of the heap.
 * The file is deleted when this is closed (on Linux at once: it has no name while in use, so not
 * even a killed run leaves it behind).
 */
public final class SpilledPartials implements Closeable {
  static final int READ_BUFFER = 8 << 10;

  /** Writes go through the JDK's cached direct buffer; bounded so that it stays small. */
  private static final int WRITE_CHUNK = 64 << 10;

  private final FileChannel channel;
  private final List<Spilled> partials = new ArrayList<>();
  private long size;

  private SpilledPartials(FileChannel channel) {
    this.channel = channel;
  }

  /** An empty spill file in {@code directory}. */
  static SpilledPartials create(Path directory) throws IOException {
    Path path = Files.createTempFile(directory, "connbal-dns-", ".partials");
    try {
      return new SpilledPartials(
          FileChannel.open(
              path,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE,
              StandardOpenOption.DELETE_ON_CLOSE));
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(path);
      throw e;
    }
  }

  /** Appends {@code partial}'s events; its report is the caller's to keep. */
  void add(DnsPartial partial) throws IOException {
    byte[] bytes = partial.encodedEvents();
    for (int at = 0; at < bytes.length; ) {
      ByteBuffer chunk = ByteBuffer.wrap(bytes, at, Math.min(WRITE_CHUNK, bytes.length - at));
      while (chunk.hasRemaining()) {
        channel.write(chunk);
      }
      at = chunk.position();
    }
    partials.add(new Spilled(partial.file(), partial.eventCount(), size, bytes.length));
    size += bytes.length;
  }

  /**
   * Each added partial's events in timeline order, decoded one at a time as {@link
   * DnsPartial#events} does; valid until this is closed.
   */
  List<Iterator<DnsEvent>> events(DnsNameTable.Interner names) {
    List<Iterator<DnsEvent>> events = new ArrayList<>(partials.size());
    for (Spilled p : partials) {
      events.add(
          DnsPartial.readEvents(
              p.file, p.eventCount, new RegionInput(channel, p.offset, p.length), names));
    }
    return events;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  /** Where one partial's events lie in the file. */
  private record Spilled(String file, int eventCount, long offset, int length) {}

  /** Bytes {@code [offset, offset + length)} of a channel, read {@value #READ_BUFFER} at a time. */
  private static final class RegionInput extends InputStream {
    private final FileChannel channel;
    private final byte[] buffer;
    private final ByteBuffer target;
    private long next;
    private long left;
    private int position;
    private int limit;

    RegionInput(FileChannel channel, long offset, int length) {
      this.channel = channel;
      this.buffer = new byte[Math.min(READ_BUFFER, Math.max(1, length))];
      this.target = ByteBuffer.wrap(buffer);
      this.next = offset;
      this.left = length;
    }

    @Override
    public int read() throws IOException {
      if (position == limit && !fill()) {
        return -1;
      }
      return buffer[position++] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      Objects.checkFromIndexSize(off, len, b.length);
      if (len == 0) {
        return 0;
      }
      if (position == limit && !fill()) {
        return -1;
      }
      int n = Math.min(len, limit - position);
      System.arraycopy(buffer, position, b, off, n);
      position += n;
      return n;
    }

    /** Bytes of the region not read yet (the name table's decoder bounds its count by them). */
    @Override
    public int available() {
      return (int) Math.min(Integer.MAX_VALUE, left + limit - position);
    }

    private boolean fill() throws IOException {
      if (left == 0) {
        return false;
      }
      target.clear().limit((int) Math.min(buffer.length, left));
      while (target.hasRemaining()) {
        int n = channel.read(target, next + target.position());
        if (n < 0) {
          throw new IOException("spilled DNS partials end early at offset " + next);
        }
      }
      position = 0;
      limit = target.position();
      next += limit;
      left -= limit;
      return true;
    }
  }
}
