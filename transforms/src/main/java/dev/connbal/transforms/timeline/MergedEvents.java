package dev.connbal.transforms.timeline;

import dev.connbal.transforms.events.DnsEvent;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The events of several partials, each in timeline order, merged into one timeline order on a
 * thread of its own and handed over in batches. Decoding and merging the partials' events is a
 * large part of a timeline's work; here it runs beside the timeline's rules on another core instead
 * of before each event (bench/RESULTS.md has the figures).
 *
 * <p>An exception of the merging thread (a corrupt partial, say) is thrown by {@link #hasNext} or
 * {@link #next} once the events before it are taken. {@link #close} stops the thread.
 */
public final class MergedEvents implements Iterator<DnsEvent>, AutoCloseable {
  static final int BATCH = 4096;

  /** Batches the merging thread may run ahead of the timeline. */
  private static final int BATCHES_AHEAD = 4;

  /** The batch that follows the last event, or a failure. */
  private static final DnsEvent[] END = new DnsEvent[0];

  private final BlockingQueue<DnsEvent[]> batches = new ArrayBlockingQueue<>(BATCHES_AHEAD);
  private final Thread merger;
  private volatile Throwable failure;
  private DnsEvent[] batch = new DnsEvent[0];
  private int position;

  private MergedEvents(List<Iterator<DnsEvent>> partials) {
    merger = new Thread(() -> merge(partials), "connbal-timeline-merge");
    merger.setDaemon(true);
  }

  /** Starts merging {@code partials}, each of which yields its events in timeline order. */
  static MergedEvents start(List<Iterator<DnsEvent>> partials) {
    MergedEvents events = new MergedEvents(partials);
    events.merger.start();
    return events;
  }

  @Override
  public boolean hasNext() {
    if (position < batch.length) {
      return true;
    }
    if (batch == END) {
      return false;
    }
    try {
      batch = batches.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for DNS events", e);
    }
    position = 0;
    if (batch == END && failure != null) {
      if (failure instanceof Error error) {
        throw error;
      }
      throw (RuntimeException) failure;
    }
    return batch != END;
  }

  @Override
  public DnsEvent next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return batch[position++];
  }

  @Override
  public void close() throws InterruptedException {
    merger.interrupt();
    merger.join();
  }

  private void merge(List<Iterator<DnsEvent>> partials) {
    DnsEvent[] out = new DnsEvent[BATCH];
    int n = 0;
    try {
      try {
        PriorityQueue<Head> heads = new PriorityQueue<>();
        for (Iterator<DnsEvent> events : partials) {
          Head.offer(events, heads);
        }
        while (!heads.isEmpty()) {
          Head head = heads.poll();
          out[n++] = head.event;
          if (n == BATCH) {
            batches.put(out);
            out = new DnsEvent[BATCH];
            n = 0;
          }
          Head.offer(head.rest, heads);
        }
      } catch (RuntimeException | Error e) {
        // An Error too: the timeline would otherwise wait for events forever.
        failure = e;
      }
      if (n > 0) {
        batches.put(Arrays.copyOf(out, n));
      }
      batches.put(END);
    } catch (InterruptedException e) {
      // Closed before the end: nobody takes more events.
    }
  }

  /** The next event of one partial, and the partial's events after it. */
  private static final class Head implements Comparable<Head> {
    final DnsEvent event;
    final Iterator<DnsEvent> rest;

    private Head(DnsEvent event, Iterator<DnsEvent> rest) {
      this.event = event;
      this.rest = rest;
    }

    static void offer(Iterator<DnsEvent> events, PriorityQueue<Head> heads) {
      if (events.hasNext()) {
        heads.add(new Head(events.next(), events));
      }
    }

    @Override
    public int compareTo(Head o) {
      return event.order().compareTo(o.event.order());
    }
  }
}
