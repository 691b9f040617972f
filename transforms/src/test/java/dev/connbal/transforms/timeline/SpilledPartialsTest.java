package dev.connbal.transforms.timeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.connbal.transforms.decode.DnsName;
import dev.connbal.transforms.events.DnsEvent;
import dev.connbal.transforms.events.DnsNameTable;
import dev.connbal.transforms.events.DnsPartial;
import dev.connbal.transforms.events.OrderKey;
import dev.connbal.transforms.events.QueryKey;
import dev.connbal.transforms.keys.IpAddress;
import dev.connbal.transforms.report.RunReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Spilled partials read back exactly the events their in-memory form holds. */
class SpilledPartialsTest {
  private static DnsPartial partial(String file, int events, int nameVariety) {
    List<DnsEvent> list = new ArrayList<>();
    for (int i = 0; i < events; i++) {
      DnsName name = DnsName.fromPresentation("svc-" + (i % nameVariety) + ".example.");
      list.add(
          DnsEvent.query(
              new OrderKey(1_700_000_000_000_000L + 1_000L * i, file, 64L * i),
              new QueryKey(
                  IpAddress.ofV4(0x0A000001 + i),
                  1024 + i % 60000,
                  IpAddress.ofV4(0x0A000035),
                  i & 0xFFFF,
                  name)));
    }
    return DnsPartial.of(list, RunReport.empty());
  }

  private static List<DnsEvent> drain(Iterator<DnsEvent> events) {
    List<DnsEvent> list = new ArrayList<>();
    events.forEachRemaining(list::add);
    return list;
  }

  @TempDir Path tmp;

  @Test
  void eventsReadBackAsTheInMemoryPartialsHoldThem() throws IOException {
    // Smaller than a read buffer, empty, and larger than both the read buffer and a write chunk.
    List<DnsPartial> partials =
        List.of(
            partial("file:///a.snoop", 3, 2),
            DnsPartial.of(List.of(), RunReport.empty()),
            partial("file:///b.snoop", 5_000, 700));
    assertThat(
        partials.get(2).encodedEvents().length, greaterThan(8 * SpilledPartials.READ_BUFFER));
    try (SpilledPartials spilled = SpilledPartials.create(tmp)) {
      for (DnsPartial p : partials) {
        spilled.add(p);
      }
      DnsNameTable.Interner names = new DnsNameTable.Interner();
      List<Iterator<DnsEvent>> events = spilled.events(names);
      // Read interleaved, as the timeline's merge does, so that every region's buffer refills
      // while the others are half read.
      List<List<DnsEvent>> read = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
      boolean more = true;
      while (more) {
        more = false;
        for (int i = 0; i < events.size(); i++) {
          if (events.get(i).hasNext()) {
            read.get(i).add(events.get(i).next());
            more = true;
          }
        }
      }
      for (int i = 0; i < partials.size(); i++) {
        assertThat(read.get(i), equalTo(drain(partials.get(i).events(names))));
      }
      assertThat(read.get(1), empty());
      // One instance per spelling across partials, as for partials read from memory.
      assertSame(read.get(0).get(0).query().name(), read.get(2).get(0).query().name());
    }
  }

  @Test
  void noSpillFileIsLeftBehind() throws IOException {
    DnsPartial partial = partial("file:///a.snoop", 10, 3);
    try (SpilledPartials spilled = SpilledPartials.create(tmp)) {
      spilled.add(partial);
      assertThat(
          drain(spilled.events(new DnsNameTable.Interner()).get(0)),
          equalTo(drain(partial.events(new DnsNameTable.Interner()))));
    }
    assertThat(spillFiles(tmp), empty());
  }

  private static List<Path> spillFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(p -> p.getFileName().toString().startsWith("connbal-dns-"))
          .sorted()
          .toList();
    }
  }
}
