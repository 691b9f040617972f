package dev.connbal.transforms.events;

import dev.connbal.transforms.decode.DnsName;
import dev.connbal.transforms.report.RunReport;
import dev.connbal.transforms.wire.BytesInput;
import dev.connbal.transforms.wire.BytesOutput;
import dev.connbal.transforms.wire.DnsEventWire;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What pass 1 makes of one range of a capture for one shard of clients: their DNS events in
 * timeline order, and (in the range's first partial) the range's part of the run report (packets,
 * bytes, frames skipped, malformed DNS). A range with many events emits several partials.
 *
 * <p>The events are held encoded ({@link DnsEventWire}) in one byte array, with the file they come
 * from written once and each distinct name once ({@link DnsNameTable}): a shard's partials meet
 * under its key and wait there for its timeline, so their size is what the timeline's memory grows
 * with, and the Direct runner copies a key's grouped values through their coder each time another
 * bundle of them arrives, which for bytes is a plain copy. Sorted, they let the timeline merge the
 * partials one event at a time instead of decoding and sorting all its events at once.
 */
public final class DnsPartial {
  private final String file;
  private final byte[] encodedEvents;
  private final int eventCount;
  private final RunReport report;

  public DnsPartial(String file, byte[] encodedEvents, int eventCount, RunReport report) {
    this.file = file;
    this.encodedEvents = encodedEvents;
    this.eventCount = eventCount;
    this.report = report;
  }

  /** A partial of {@code events}, all of one file, in any order. */
  public static DnsPartial of(List<DnsEvent> unsorted, RunReport report) {
    List<DnsEvent> events = new ArrayList<>(unsorted);
    String file = events.isEmpty() ? "" : events.get(0).order().file();
    for (DnsEvent e : events) {
      if (!e.order().file().equals(file)) {
        throw new IllegalArgumentException(
            "a partial holds events of one file: " + file + " and " + e.order().file());
      }
    }
    events.sort((a, b) -> a.order().compareTo(b.order()));
    DnsNameTable names = new DnsNameTable();
    BytesOutput body = new BytesOutput(events.size() * 32);
    OrderKey previous = null;
    for (DnsEvent e : events) {
      DnsEventWire.write(e, previous, names, body);
      previous = e.order();
    }
    return assemble(file, names, body, events.size(), report, new BytesOutput(0));
  }

  /**
   * The partial of {@code eventCount} events of {@code file} written to {@code body} ({@link
   * DnsEventWire}) with the name table {@code names}: the table, then the events. {@code scratch}
   * is a buffer to write the table to, reset first.
   */
  static DnsPartial assemble(
      String file,
      DnsNameTable names,
      BytesOutput body,
      int eventCount,
      RunReport report,
      BytesOutput scratch) {
    scratch.reset();
    try {
      names.writeTo(scratch);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot happen: writing to memory", e);
    }
    byte[] all = Arrays.copyOf(scratch.buffer(), scratch.size() + body.size());
    System.arraycopy(body.buffer(), 0, all, scratch.size(), body.size());
    return new DnsPartial(file, all, eventCount, report);
  }

  /** The file all events come from; empty when there are none. */
  public String file() {
    return file;
  }

  public byte[] encodedEvents() {
    return encodedEvents;
  }

  public int eventCount() {
    return eventCount;
  }

  public RunReport report() {
    return report;
  }

  /**
   * The events in timeline order, decoded one at a time, their names the instances {@code names}
   * holds (so that a timeline merging many partials compares equal names by identity).
   */
  public Iterator<DnsEvent> events(DnsNameTable.Interner names) {
    return readEvents(file, eventCount, new BytesInput(encodedEvents), names);
  }

  /** Whether any name of the events (a query name or a record's) is one of {@code names}. */
  public boolean mentionsAny(Set<DnsName> names) {
    try {
      DnsName[] table =
          DnsNameTable.read(new BytesInput(encodedEvents), new DnsNameTable.Interner());
      for (DnsName name : table) {
        if (names.contains(name)) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("corrupt DNS partial of " + file, e);
    }
  }

  /**
   * The {@code eventCount} events of a partial of {@code file} whose {@link #encodedEvents()} are
   * read from {@code in}, decoded one at a time as {@link #events} does.
   */
  public static Iterator<DnsEvent> readEvents(
      String file, int eventCount, InputStream in, DnsNameTable.Interner names) {
    DnsName[] table;
    try {
      table = DnsNameTable.read(in, names);
    } catch (IOException e) {
      throw new UncheckedIOException("corrupt DNS partial of " + file, e);
    }
    return new Iterator<>() {
      private int left = eventCount;
      private @Nullable OrderKey previous;

      @Override
      public boolean hasNext() {
        return left > 0;
      }

      @Override
      public DnsEvent next() {
        if (left == 0) {
          throw new NoSuchElementException();
        }
        left--;
        try {
          DnsEvent e = DnsEventWire.read(file, table, previous, in);
          previous = e.order();
          return e;
        } catch (IOException e) {
          throw new UncheckedIOException("corrupt DNS partial of " + file, e);
        }
      }
    };
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DnsPartial p
        && eventCount == p.eventCount
        && file.equals(p.file)
        && report.equals(p.report)
        && Arrays.equals(encodedEvents, p.encodedEvents);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encodedEvents) * 31 + report.hashCode();
  }

  @Override
  public String toString() {
    return "DnsPartial{" + file + ": " + eventCount + " events, " + report + "}";
  }
}
