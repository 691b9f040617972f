package dev.connbal.transforms.window;

import dev.connbal.transforms.ConnBalRow;
import dev.connbal.transforms.count.BackendRows;
import dev.connbal.transforms.keys.ClientBackend;
import dev.connbal.transforms.keys.IpAddress;
import dev.connbal.transforms.timeline.BackendFacts;
import dev.connbal.transforms.timeline.DnsTimeline;
import dev.connbal.transforms.timeline.TimelineState;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * SEMANTICS.md over one shard of clients, event by event in capture-time order, with its rows per
 * tumbling window ("Windows"): the DNS rules ({@link DnsTimeline}, which learns the SRV knowledge
 * from every client's SRV events, {@link TimedEvent.Kind#SRV_LEARNING}) and the attempts, counted
 * when their backend is known at their first SYN, run over the whole stream; what a window adds to
 * each (client, backend, port) leaves when the window ends.
 *
 * <p>A window's row has the attempts begun in it and the responses in it that listed the backend,
 * on the ports the backend has in a run without windows: its SRV ports, and the ports of its
 * counted attempts, each of which takes every response that listed the backend. A port is known
 * only from its first attempt on, so when it comes, the windows before it that listed the backend
 * get their rows again ({@link #corrections}): the port's row with their listings, and their {@code
 * ?} row (a backend with no port yet) taken back. Thus for every key the sums over windows are the
 * run's without windows, as SEMANTICS.md asks, for the windows of the last {@code horizon} (a
 * runner's allowed lateness: it drops rows of older windows), all of them for captures read at
 * once.
 *
 * <p>Events come sorted by millisecond (a runner's timestamps), not by microsecond: the events of
 * the latest millisecond wait here until a later one arrives or time passes it ({@link
 * #advanceTo}), and then run in {@link TimedEvent#ORDER}. An event older than that is late: a SYN
 * still counts, in its own window, whose rows then leave again with it; a DNS event cannot be put
 * back into the order the rules need, and is only counted ({@link #lateDnsEvents}).
 *
 * <p>State is bounded by what the shard's clients use, not by the length of the stream: the DNS
 * queries of the last 10 s, the attempts of the last 120 s, and per (client, backend) pair and SRV
 * target what DNS said and what was last output.
 */
public final class ShardTimeline implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final long NONE = Long.MIN_VALUE;

  /** The rows one window adds, with its start. */
  public record WindowRows(long startMicros, List<ConnBalRow> rows) {}

  private final long windowMicros;
  private DnsTimeline dns = new DnsTimeline();
  private RecentAttempts attempts = new RecentAttempts();

  /** The events of the latest millisecond, not yet run. */
  private final List<TimedEvent> pending = new ArrayList<>();

  private long pendingMillis = NONE;

  /** The time of the latest event that ran: an event before it is late. */
  private long lastRunMicros = NONE;

  /** The window of the latest event that ran, until it is output; NONE when there is none. */
  private long openWindow = NONE;

  /** Pairs with attempts counted in the open window (those DNS listed: {@link DnsTimeline}). */
  private final Set<ClientBackend> touched = new LinkedHashSet<>();

  /** Attempts counted in the open window, per pair and port. */
  private final Map<ClientBackend, Map<Integer, Long>> conns = new HashMap<>();

  /** Ports with counted attempts so far, per pair. */
  private final Map<ClientBackend, TreeSet<Integer>> attemptPorts = new HashMap<>();

  /** Per pair, its #dns (whole and per SRV port) as the last output window left it. */
  private final Map<ClientBackend, BackendFacts> output = new HashMap<>();

  /** A closed window in which responses listed a pair: how many, and if it had a port then. */
  private static final class Listed implements Serializable {
    private static final long serialVersionUID = 1L;

    final long window;
    final long dns;
    boolean hadPort;

    Listed(long window, long dns, boolean hadPort) {
      this.window = window;
      this.dns = dns;
      this.hadPort = hadPort;
    }
  }

  /**
   * Per pair, the ports that are not SRV ports of it and whose rows took the listings of every
   * window in {@link #listings}: should an SRV answer make one an SRV port, whose row counts only
   * the responses that listed it for that port, those are taken back.
   */
  private final Map<ClientBackend, Set<Integer>> creditedPorts = new HashMap<>();

  /** Per pair, the closed windows of the last {@link #horizonMicros} that listed it. */
  private final Map<ClientBackend, ArrayDeque<Listed>> listings = new HashMap<>();

  private final long horizonMicros;

  /** Rows made by the call at hand, by window; see {@link #accept}. */
  private transient List<WindowRows> made;

  /** The pairs that DNS listed for the first time since {@link #drainNewPairs}. */
  private transient @Nullable List<BackendFacts> newPairs;

  private long lateSyns;
  private long lateDnsEvents;

  /**
   * @param windowMicros the windows' length
   * @param horizonMicros how long after a window's end its rows may still change (a runner's
   *     allowed lateness): how long the timeline keeps what it needs for that
   */
  public ShardTimeline(long windowMicros, long horizonMicros) {
    if (windowMicros <= 0 || horizonMicros < 0) {
      throw new IllegalArgumentException(
          "window length must be positive and horizon not negative, got "
              + windowMicros
              + " and "
              + horizonMicros);
    }
    this.windowMicros = windowMicros;
    this.horizonMicros = horizonMicros;
    dns.drainListed();
  }

  /**
   * Takes the next event; returns the windows that ended before it (and, for a late SYN, its own
   * window again), with their rows.
   */
  public List<WindowRows> accept(TimedEvent event) {
    made = new ArrayList<>();
    long millis = Math.floorDiv(event.timeMicros(), 1000);
    if (pendingMillis != NONE && millis < pendingMillis || event.timeMicros() < lastRunMicros) {
      late(event);
    } else {
      if (millis > pendingMillis) {
        runPending();
        pendingMillis = millis;
      }
      pending.add(event);
    }
    return made;
  }

  /**
   * Time has passed {@code micros}: no event before it will come but late ones. Runs the events
   * before it and outputs the windows that end at or before it.
   */
  public List<WindowRows> advanceTo(long micros) {
    made = new ArrayList<>();
    if (pendingMillis != NONE && (pendingMillis + 1) * 1000 <= micros) {
      runPending();
      pendingMillis = NONE;
    }
    if (openWindow != NONE && openWindow + windowMicros <= micros) {
      closeOpenWindow();
    }
    return made;
  }

  /**
   * When {@link #advanceTo} will next have something to do: the end of the pending millisecond, or
   * else the end of the open window; {@link Long#MAX_VALUE} when nothing is waiting.
   */
  public long nextDeadlineMicros() {
    if (pendingMillis != NONE) {
      return (pendingMillis + 1) * 1000;
    }
    return openWindow != NONE ? openWindow + windowMicros : Long.MAX_VALUE;
  }

  /**
   * The start of the earliest window this timeline may still output rows of (but for late SYNs), or
   * {@link Long#MAX_VALUE}: what a runner must not consider complete yet.
   */
  public long earliestOpenWindowMicros() {
    long earliest = openWindow != NONE ? openWindow : Long.MAX_VALUE;
    if (pendingMillis != NONE) {
      earliest = Math.min(earliest, windowOf(pendingMillis * 1000));
    }
    return earliest;
  }

  /** How the events waiting in a timeline are written and read: by the state's coder. */
  public interface EventCodec {
    void write(TimedEvent event, DataOutputStream out) throws IOException;

    TimedEvent read(DataInputStream in) throws IOException;
  }

  /**
   * Writes the timeline: what {@link #readFrom} needs to go on as this one would. Maps are written
   * by pair, so that equal timelines write equal bytes.
   */
  public void writeTo(DataOutputStream out, EventCodec events) throws IOException {
    out.writeLong(windowMicros);
    out.writeLong(horizonMicros);
    dns.writeTo(out);
    attempts.writeTo(out);
    out.writeInt(pending.size());
    for (TimedEvent e : pending) {
      events.write(e, out);
    }
    out.writeLong(pendingMillis);
    out.writeLong(lastRunMicros);
    out.writeLong(openWindow);
    out.writeInt(touched.size());
    for (ClientBackend pair : touched) {
      writePair(pair, out);
    }
    writeByPair(conns, out, (byPort, o) -> writePortMap(byPort, o));
    writeByPair(attemptPorts, out, (ports, o) -> writePorts(ports, o));
    writeByPair(output, out, TimelineState::writeFacts);
    writeByPair(creditedPorts, out, (ports, o) -> writePorts(ports, o));
    writeByPair(
        listings,
        out,
        (windows, o) -> {
          o.writeInt(windows.size());
          for (Listed l : windows) {
            o.writeLong(l.window);
            o.writeLong(l.dns);
            o.writeBoolean(l.hadPort);
          }
        });
    out.writeLong(lateSyns);
    out.writeLong(lateDnsEvents);
  }

  /** The timeline {@link #writeTo} wrote. */
  public static ShardTimeline readFrom(DataInputStream in, EventCodec events) throws IOException {
    ShardTimeline t;
    try {
      t = new ShardTimeline(in.readLong(), in.readLong());
    } catch (IllegalArgumentException e) {
      throw new IOException("corrupt timeline state: " + e.getMessage(), e);
    }
    t.dns = DnsTimeline.readFrom(in);
    t.attempts = RecentAttempts.readFrom(in);
    for (int i = TimelineState.count(in); i > 0; i--) {
      t.pending.add(events.read(in));
    }
    t.pendingMillis = in.readLong();
    t.lastRunMicros = in.readLong();
    t.openWindow = in.readLong();
    for (int i = TimelineState.count(in); i > 0; i--) {
      t.touched.add(readPair(in));
    }
    readByPair(t.conns, in, ShardTimeline::readPortMap);
    readByPair(t.attemptPorts, in, ShardTimeline::readPorts);
    readByPair(t.output, in, TimelineState::readFacts);
    readByPair(t.creditedPorts, in, ShardTimeline::readPorts);
    readByPair(
        t.listings,
        in,
        i -> {
          ArrayDeque<Listed> windows = new ArrayDeque<>();
          for (int n = TimelineState.count(i); n > 0; n--) {
            windows.addLast(new Listed(i.readLong(), i.readLong(), i.readBoolean()));
          }
          return windows;
        });
    t.lateSyns = in.readLong();
    t.lateDnsEvents = in.readLong();
    return t;
  }

  private interface Writer<V> {
    void write(V value, DataOutput out) throws IOException;
  }

  private interface Reader<V> {
    V read(DataInput in) throws IOException;
  }

  private static void writePair(ClientBackend pair, DataOutput out) throws IOException {
    pair.client().writeData(out);
    pair.backend().writeData(out);
  }

  private static ClientBackend readPair(DataInput in) throws IOException {
    return ClientBackend.of(IpAddress.readData(in), IpAddress.readData(in));
  }

  private static <V> void writeByPair(
      Map<ClientBackend, V> byPair, DataOutput out, Writer<V> values) throws IOException {
    out.writeInt(byPair.size());
    for (Map.Entry<ClientBackend, V> e : new TreeMap<>(byPair).entrySet()) {
      writePair(e.getKey(), out);
      values.write(e.getValue(), out);
    }
  }

  private static <V> void readByPair(
      Map<ClientBackend, ? super V> into, DataInput in, Reader<V> values) throws IOException {
    for (int i = TimelineState.count(in); i > 0; i--) {
      ClientBackend pair = readPair(in);
      into.put(pair, values.read(in));
    }
  }

  private static void writePortMap(Map<Integer, Long> byPort, DataOutput out) throws IOException {
    out.writeInt(byPort.size());
    for (Map.Entry<Integer, Long> e : new TreeMap<>(byPort).entrySet()) {
      out.writeInt(e.getKey());
      out.writeLong(e.getValue());
    }
  }

  private static Map<Integer, Long> readPortMap(DataInput in) throws IOException {
    Map<Integer, Long> byPort = new TreeMap<>();
    for (int i = TimelineState.count(in); i > 0; i--) {
      byPort.put(in.readInt(), in.readLong());
    }
    return byPort;
  }

  private static void writePorts(Set<Integer> ports, DataOutput out) throws IOException {
    out.writeInt(ports.size());
    for (int port : new TreeSet<>(ports)) {
      out.writeInt(port);
    }
  }

  private static TreeSet<Integer> readPorts(DataInput in) throws IOException {
    TreeSet<Integer> ports = new TreeSet<>();
    for (int i = TimelineState.count(in); i > 0; i--) {
      ports.add(in.readInt());
    }
    return ports;
  }

  public long lateSyns() {
    return lateSyns;
  }

  public long lateDnsEvents() {
    return lateDnsEvents;
  }

  /** Responses of the shard's clients that matched a query, and those that did not. */
  public long matchedResponses() {
    return dns.matchedResponses();
  }

  public long unmatchedResponses() {
    return dns.unmatchedResponses();
  }

  /** The size of what the timeline holds for the last 120 s of attempts; for tests of the bound. */
  int openAttempts() {
    return attempts.size();
  }

  private void runPending() {
    pending.sort(TimedEvent.ORDER);
    for (TimedEvent e : pending) {
      long window = windowOf(e.timeMicros());
      if (openWindow != NONE && window != openWindow) {
        closeOpenWindow();
      }
      openWindow = window;
      lastRunMicros = e.timeMicros();
      run(e);
    }
    pending.clear();
  }

  private void run(TimedEvent e) {
    switch (e.kind()) {
      case DNS -> {
        dns.accept(e.dns());
        if (e.dns().isResponse()) {
          noteNewPairs();
        }
      }
      case SRV_LEARNING -> dns.learnFrom(e.dns());
      case SYN -> {
        if (attempts.begins(e)) {
          count(e, conns, touched);
        }
      }
    }
  }

  /**
   * The (client, backend) pairs that responses listed for the first time since the last call, each
   * with its first appearance: what an all-streams run tracks streams against ({@link
   * dev.connbal.transforms.count.IncrementalStreamTracker}).
   */
  public List<BackendFacts> drainNewPairs() {
    List<BackendFacts> drained = newPairs == null ? List.of() : newPairs;
    newPairs = new ArrayList<>();
    return drained;
  }

  /** Takes the pairs listed so far into the open window, and notes those listed the first time. */
  private void noteNewPairs() {
    for (ClientBackend pair : dns.drainListed()) {
      touched.add(pair);
      BackendFacts facts = dns.facts(pair);
      if (facts.dnsCount() == 1) {
        if (newPairs == null) {
          newPairs = new ArrayList<>();
        }
        newPairs.add(facts);
      }
    }
  }

  /** Counts the attempt {@code syn} begins when its backend is known by then. */
  private void count(
      TimedEvent syn, Map<ClientBackend, Map<Integer, Long>> into, Set<ClientBackend> changed) {
    ClientBackend pair = ClientBackend.of(syn.client(), syn.server());
    BackendFacts known = dns.facts(pair);
    if (known == null || known.firstSeenMicros() > syn.timeMicros()) {
      return;
    }
    into.computeIfAbsent(pair, p -> new TreeMap<>()).merge(syn.port(), 1L, Long::sum);
    boolean newPort = attemptPorts.computeIfAbsent(pair, p -> new TreeSet<>()).add(syn.port());
    if (newPort && !known.srvPortDns().containsKey(syn.port())) {
      corrections(known, syn.port());
      creditedPorts.computeIfAbsent(pair, p -> new TreeSet<>()).add(syn.port());
    }
    changed.add(pair);
  }

  /**
   * The rows that the closed windows which listed {@code facts}' pair get again now that it has a
   * port ({@code port}, not an SRV port) more: each window's listings on that port and, when the
   * window had no port for it, taken back from its {@code ?} row.
   */
  private void corrections(BackendFacts facts, int port) {
    ArrayDeque<Listed> windows = listings.get(facts.pair());
    if (windows == null) {
      return;
    }
    for (Listed l : windows) {
      List<ConnBalRow> rows = new ArrayList<>();
      rows.add(correction(facts, port, l.dns));
      if (!l.hadPort) {
        rows.add(correction(facts, null, -l.dns));
        l.hadPort = true;
      }
      made.add(new WindowRows(l.window, rows));
    }
  }

  private void late(TimedEvent event) {
    if (event.kind() != TimedEvent.Kind.SYN) {
      lateDnsEvents++;
      return;
    }
    lateSyns++;
    long window = windowOf(event.timeMicros());
    if (window == openWindow || !attempts.begins(event)) {
      if (window == openWindow) {
        run(event);
      }
      return;
    }
    Map<ClientBackend, Map<Integer, Long>> lateConns = new HashMap<>();
    Set<ClientBackend> changed = new LinkedHashSet<>();
    count(event, lateConns, changed);
    List<ConnBalRow> rows = new ArrayList<>();
    for (ClientBackend pair : changed) {
      BackendFacts facts = dns.facts(pair);
      rows.addAll(rowsOf(withoutDns(facts), lateConns, pair));
    }
    if (!rows.isEmpty()) {
      made.add(new WindowRows(window, rows));
    }
  }

  private void closeOpenWindow() {
    touched.addAll(dns.drainListed());
    List<ConnBalRow> rows = new ArrayList<>();
    for (ClientBackend pair : touched) {
      BackendFacts now = dns.facts(pair);
      takeBackNewSrvPorts(now);
      takeBackUnknownPortRows(now);
      BackendFacts added = minus(now, output.get(pair));
      rows.addAll(rowsOf(added, conns, pair));
      output.put(pair, now);
      if (added.dnsCount() > 0) {
        boolean hasPort = !now.srvPortDns().isEmpty() || attemptPorts.containsKey(pair);
        listings
            .computeIfAbsent(pair, p -> new ArrayDeque<>())
            .addLast(new Listed(openWindow, added.dnsCount(), hasPort));
      }
    }
    made.add(new WindowRows(openWindow, rows));
    forgetListingsBefore(openWindow + windowMicros - horizonMicros);
    touched.clear();
    conns.clear();
    openWindow = NONE;
  }

  /**
   * For each credited port of {@code now}'s pair that is an SRV port now, takes back what the
   * windows of {@link #listings} credited it with.
   */
  private void takeBackNewSrvPorts(BackendFacts now) {
    Set<Integer> credited = creditedPorts.get(now.pair());
    if (credited == null) {
      return;
    }
    Set<Integer> taken = new TreeSet<>(credited);
    taken.retainAll(now.srvPortDns().keySet());
    if (taken.isEmpty()) {
      return;
    }
    credited.removeAll(taken);
    for (Listed l : listings.getOrDefault(now.pair(), new ArrayDeque<>())) {
      List<ConnBalRow> rows = new ArrayList<>();
      for (int port : taken) {
        rows.add(correction(now, port, -l.dns));
      }
      made.add(new WindowRows(l.window, rows));
    }
  }

  /**
   * Once {@code now}'s pair has an SRV port, it has no {@code ?} row (its SRV ports' rows count
   * only the responses that listed it for them): takes back the {@code ?} rows of the windows of
   * {@link #listings} that had no port for it, as a connection on a new port does ({@link
   * #corrections}).
   */
  private void takeBackUnknownPortRows(BackendFacts now) {
    if (now.srvPortDns().isEmpty()) {
      return;
    }
    for (Listed l : listings.getOrDefault(now.pair(), new ArrayDeque<>())) {
      if (!l.hadPort) {
        made.add(new WindowRows(l.window, List.of(correction(now, null, -l.dns))));
        l.hadPort = true;
      }
    }
  }

  /** A row of {@code facts}' pair that adds {@code dns} to a port (null: its {@code ?} row). */
  private static ConnBalRow correction(BackendFacts facts, Integer port, long dns) {
    return ConnBalRow.builder()
        .setClient(facts.client().toString())
        .setBackend(facts.backend().toString())
        .setPort(port)
        .setConns(0)
        .setDns(dns)
        .setName(facts.name().presentation())
        .setSrvPriority(null)
        .setSrvWeight(null)
        .build();
  }

  /** Forgets the listings of windows that end before {@code micros}: no row of theirs changes. */
  private void forgetListingsBefore(long micros) {
    listings
        .values()
        .removeIf(
            windows -> {
              while (!windows.isEmpty() && windows.peekFirst().window + windowMicros < micros) {
                windows.pollFirst();
              }
              return windows.isEmpty();
            });
  }

  /** The rows of {@code added} with the pair's attempts of {@code connsByPair}, those not 0. */
  private List<ConnBalRow> rowsOf(
      BackendFacts added, Map<ClientBackend, Map<Integer, Long>> connsByPair, ClientBackend pair) {
    Map<Integer, Long> byPort = connsByPair.getOrDefault(pair, Map.of());
    Set<Integer> ports = attemptPorts.getOrDefault(pair, new TreeSet<>());
    List<ConnBalRow> rows = new ArrayList<>();
    for (ConnBalRow r : BackendRows.of(added, byPort, ports)) {
      if (r.getConns() > 0 || r.getDns() > 0) {
        rows.add(r);
      }
    }
    return rows;
  }

  /** {@code now}'s counts less {@code before}'s: what DNS said about the pair since. */
  private static BackendFacts minus(BackendFacts now, BackendFacts before) {
    if (before == null) {
      return now;
    }
    TreeMap<Integer, Long> portDns = new TreeMap<>();
    now.srvPortDns()
        .forEach((port, n) -> portDns.put(port, n - before.srvPortDns().getOrDefault(port, 0L)));
    return new BackendFacts(
        now.client(),
        now.backend(),
        now.firstSeenMicros(),
        now.name(),
        now.dnsCount() - before.dnsCount(),
        portDns,
        now.srvPortPriorityWeight());
  }

  private static BackendFacts withoutDns(BackendFacts facts) {
    return minus(facts, facts);
  }

  private long windowOf(long micros) {
    return Math.floorDiv(micros, windowMicros) * windowMicros;
  }
}
