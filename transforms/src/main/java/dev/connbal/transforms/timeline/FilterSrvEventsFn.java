package dev.connbal.transforms.timeline;

import dev.connbal.transforms.decode.DnsName;
import dev.connbal.transforms.events.DnsEvent;
import dev.connbal.transforms.events.DnsNameTable;
import dev.connbal.transforms.events.DnsPartial;
import dev.connbal.transforms.report.RunReport;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Finds, in partials that pass 1 did not set apart for the SRV learning pass, the events of the
 * run's SRV names (query names of responses with SRV answers) that the learning pass must see too:
 * a query whose SRV answer fell in the next range, say. Pass 1 sets apart what it sees in one
 * range; this completes it with what the whole run knows. A partial none of whose names is an SRV
 * name (nearly all) is passed over after reading its name table.
 */
public final class FilterSrvEventsFn
    extends DoFn<KV<Integer, DnsPartial>, KV<Integer, DnsPartial>> {
  private final PCollectionView<List<DnsName>> srvNames;
  private transient List<DnsName> namesSeen;
  private transient Set<DnsName> names;

  public FilterSrvEventsFn(PCollectionView<List<DnsName>> srvNames) {
    this.srvNames = srvNames;
  }

  @ProcessElement
  public void process(ProcessContext c) {
    List<DnsName> run = c.sideInput(srvNames);
    if (run != namesSeen) {
      namesSeen = run;
      names = new HashSet<>(run);
    }
    if (names.isEmpty()) {
      return;
    }
    DnsPartial partial = c.element().getValue();
    if (!partial.mentionsAny(names)) {
      return;
    }
    List<DnsEvent> kept = new ArrayList<>();
    Iterator<DnsEvent> events = partial.events(new DnsNameTable.Interner());
    while (events.hasNext()) {
      DnsEvent e = events.next();
      if (names.contains(e.query().name())) {
        kept.add(e);
      }
    }
    if (!kept.isEmpty()) {
      c.output(KV.of(c.element().getKey(), DnsPartial.of(kept, RunReport.empty())));
    }
  }
}
