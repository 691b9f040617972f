package dev.connbal.transforms.timeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.connbal.transforms.decode.DnsName;
import dev.connbal.transforms.events.DnsEvent;
import dev.connbal.transforms.events.OrderKey;
import dev.connbal.transforms.events.QueryKey;
import dev.connbal.transforms.keys.IpAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MergedEventsTest {
  private static final DnsName NAME = DnsName.fromPresentation("api.example.");

  private static DnsEvent event(long micros, String file, long offset) {
    return DnsEvent.query(
        new OrderKey(micros, file, offset),
        new QueryKey(IpAddress.ofV4(0x0A000001), 1024, IpAddress.ofV4(0x0A000035), 7, NAME));
  }

  private static List<DnsEvent> drain(MergedEvents events) {
    List<DnsEvent> list = new ArrayList<>();
    while (events.hasNext()) {
      list.add(events.next());
    }
    return list;
  }

  @Test
  void mergesSortedPartialsIntoTimelineOrderAcrossBatches() throws Exception {
    Random random = new Random(5);
    List<List<DnsEvent>> partials = new ArrayList<>();
    List<DnsEvent> all = new ArrayList<>();
    // Partial sizes around the batch size; timestamps collide across files, so that ties fall to
    // the file and offset.
    for (int size : new int[] {0, 1, MergedEvents.BATCH - 1, MergedEvents.BATCH, 3 * 4096 + 17}) {
      String file = "file:///p" + partials.size() + ".snoop";
      List<DnsEvent> partial = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        partial.add(event(random.nextInt(5_000), file, i));
      }
      partial.sort(Comparator.comparing(DnsEvent::order));
      partials.add(partial);
      all.addAll(partial);
    }
    all.sort(Comparator.comparing(DnsEvent::order));

    List<Iterator<DnsEvent>> sources = new ArrayList<>();
    partials.forEach(p -> sources.add(p.iterator()));
    try (MergedEvents events = MergedEvents.start(sources)) {
      List<DnsEvent> merged = drain(events);
      assertThat(merged, equalTo(all));
      assertThat(events.hasNext(), is(false));
      assertThrows(NoSuchElementException.class, events::next);
    }
  }

  @Test
  void noPartialsMergeToNoEvents() throws Exception {
    try (MergedEvents events = MergedEvents.start(List.of())) {
      assertThat(events.hasNext(), is(false));
    }
  }

  @Test
  void aFailureOfAPartialReachesTheTimelineAfterTheEventsBeforeIt() throws Exception {
    UncheckedIOException corrupt =
        new UncheckedIOException("corrupt DNS partial of x", new IOException("cut short"));
    Iterator<DnsEvent> failing =
        new Iterator<>() {
          private int left = 2;

          @Override
          public boolean hasNext() {
            return true;
          }

          @Override
          public DnsEvent next() {
            if (left == 0) {
              throw corrupt;
            }
            return event(--left, "file:///x.snoop", left);
          }
        };
    try (MergedEvents events = MergedEvents.start(List.of(failing))) {
      events.next();
      events.next();
      UncheckedIOException thrown = assertThrows(UncheckedIOException.class, events::hasNext);
      assertSame(corrupt, thrown);
    }
  }

  @Test
  void closingBeforeTheEndStopsTheMergingThread() throws Exception {
    Iterator<DnsEvent> endless =
        new Iterator<>() {
          private long next;

          @Override
          public boolean hasNext() {
            return true;
          }

          @Override
          public DnsEvent next() {
            next++;
            return event(next, "file:///endless.snoop", next);
          }
        };
    MergedEvents events = MergedEvents.start(List.of(endless));
    events.next();
    events.close();
    assertThat(
        Thread.getAllStackTraces().keySet().stream()
            .anyMatch(t -> t.getName().equals("connbal-timeline-merge")),
        is(false));
  }
}
