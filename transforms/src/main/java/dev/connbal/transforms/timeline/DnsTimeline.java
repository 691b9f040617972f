package dev.connbal.transforms.timeline;

import dev.connbal.transforms.decode.DnsName;
import dev.connbal.transforms.events.DnsEvent;
import dev.connbal.transforms.events.DnsEventRecord;
import dev.connbal.transforms.events.OrderKey;
import dev.connbal.transforms.keys.ClientBackend;
import dev.connbal.transforms.keys.IpAddress;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The DNS half of SEMANTICS.md as a plain state machine: fed every DNS event of every file in
 * timeline order, it matches responses to queries, keeps the global SRV knowledge and applies the
 * backend rules, and yields per (client, backend) what DNS said.
 *
 * <p>Pure Java and single-threaded so that the rules can be tested without Beam; {@link
 * RunDnsTimelineFn} runs it over the sorted events of a run, or of one shard of its clients: query
 * matching and backends are per client, and the one thing clients share, the SRV knowledge, then
 * comes from the whole run's {@link SrvKnowledge}.
 */
public final class DnsTimeline implements Serializable {
  private static final long serialVersionUID = 1L;

  private final OutstandingQueries queries;
  private final SrvLookup srvTargets;

  /** The (client, backend) pairs listed since {@link #drainListed}; null when nobody asks. */
  private @Nullable Set<ClientBackend> listed;

  private final PairTable<Backend> backends = new PairTable<>();

  private long matchedResponses;
  private long unmatchedResponses;

  private static final int[] NO_PORTS = {};
  private static final long[] NO_COUNTS = {};
  private static final SrvPriorityWeight[] NO_PRIORITY_WEIGHTS = {};

  /** Mutable per-backend state while the timeline runs. */
  private static final class Backend implements Serializable {
    private static final long serialVersionUID = 1L;

    final IpAddress client;
    final IpAddress address;
    final long firstSeenMicros;
    final DnsName name;
    long dnsCount;

    /** The matched response that last listed this backend. */
    long listedBy = -1;

    /**
     * SRV ports in order of appearance, each with its count of listing responses, the last response
     * that listed it, and its priority and weight ({@link #list}): a backend has a port or two, so
     * arrays beat a map and a set.
     */
    int[] ports = NO_PORTS;

    long[] portDns = NO_COUNTS;
    long[] portListedBy = NO_COUNTS;
    SrvPriorityWeight[] portPriorityWeight = NO_PRIORITY_WEIGHTS;

    Backend(IpAddress client, IpAddress address, long firstSeenMicros, DnsName name) {
      this.client = client;
      this.address = address;
      this.firstSeenMicros = firstSeenMicros;
      this.name = name;
    }
  }

  /** What one response's own SRV answers say about one target. */
  private static final class ResponseSrv {
    final DnsName service;
    final Set<Integer> ports = new LinkedHashSet<>();

    ResponseSrv(DnsName service) {
      this.service = service;
    }
  }

  /** A timeline over every client's events: it learns the SRV knowledge as it goes. */
  public DnsTimeline() {
    this(new SrvTargets());
  }

  /** A timeline that takes the SRV knowledge from {@code srvTargets}. */
  DnsTimeline(SrvLookup srvTargets) {
    this(new OutstandingQueries(), srvTargets);
  }

  private DnsTimeline(OutstandingQueries queries, SrvLookup srvTargets) {
    this.queries = queries;
    this.srvTargets = srvTargets;
  }

  /**
   * Writes a timeline that learns its SRV knowledge as it goes ({@link #DnsTimeline()}): its
   * queries, knowledge, the pairs listed since {@link #drainListed} in order, and its backends by
   * pair.
   */
  public void writeTo(DataOutput out) throws IOException {
    if (!(srvTargets instanceof SrvTargets own)) {
      throw new IllegalStateException("only a timeline that learns its SRV knowledge is written");
    }
    queries.writeTo(out);
    own.writeTo(out);
    out.writeLong(matchedResponses);
    out.writeLong(unmatchedResponses);
    out.writeInt(listed == null ? -1 : listed.size());
    if (listed != null) {
      for (ClientBackend pair : listed) {
        pair.client().writeData(out);
        pair.backend().writeData(out);
      }
    }
    List<Backend> all = backends.values();
    all.sort(Comparator.comparing(b -> ClientBackend.of(b.client, b.address)));
    out.writeInt(all.size());
    for (Backend b : all) {
      b.client.writeData(out);
      b.address.writeData(out);
      out.writeLong(b.firstSeenMicros);
      TimelineState.writeName(b.name, out);
      out.writeLong(b.dnsCount);
      out.writeLong(b.listedBy);
      out.writeInt(b.ports.length);
      for (int i = 0; i < b.ports.length; i++) {
        out.writeInt(b.ports[i]);
        out.writeLong(b.portDns[i]);
        out.writeLong(b.portListedBy[i]);
        out.writeBoolean(b.portPriorityWeight[i] != null);
        if (b.portPriorityWeight[i] != null) {
          out.writeShort(b.portPriorityWeight[i].priority());
          out.writeShort(b.portPriorityWeight[i].weight());
        }
      }
    }
  }

  /** The timeline {@link #writeTo} wrote. */
  public static DnsTimeline readFrom(DataInput in) throws IOException {
    DnsTimeline t = new DnsTimeline(OutstandingQueries.readFrom(in), SrvTargets.readFrom(in));
    t.matchedResponses = in.readLong();
    t.unmatchedResponses = in.readLong();
    int listed = in.readInt();
    if (listed >= 0) {
      t.listed = new LinkedHashSet<>();
      for (int i = 0; i < listed; i++) {
        t.listed.add(ClientBackend.of(IpAddress.readData(in), IpAddress.readData(in)));
      }
    }
    for (int i = TimelineState.count(in); i > 0; i--) {
      IpAddress client = IpAddress.readData(in);
      IpAddress address = IpAddress.readData(in);
      Backend b = new Backend(client, address, in.readLong(), TimelineState.readName(in));
      b.dnsCount = in.readLong();
      b.listedBy = in.readLong();
      int ports = TimelineState.count(in);
      b.ports = new int[ports];
      b.portDns = new long[ports];
      b.portListedBy = new long[ports];
      b.portPriorityWeight = new SrvPriorityWeight[ports];
      for (int p = 0; p < ports; p++) {
        b.ports[p] = in.readInt();
        b.portDns[p] = in.readLong();
        b.portListedBy[p] = in.readLong();
        b.portPriorityWeight[p] =
            in.readBoolean()
                ? new SrvPriorityWeight(in.readUnsignedShort(), in.readUnsignedShort())
                : null;
      }
      if (t.backends.get(client, address) == null) {
        t.backends.put(client, address, b);
      }
    }
    return t;
  }

  /** Feeds the next event; events must come in {@link OrderKey} order. */
  public void accept(DnsEvent event) {
    if (queries.matchedResponse(event)) {
      matchedResponses++;
      applyBackendRules(event);
    } else if (event.isResponse()) {
      unmatchedResponses++;
    }
  }

  /**
   * Feeds the next event of a client that another timeline owns, for its SRV answers only: matched
   * as {@link #accept} would, a response teaches its SRV answers (knowledge is global) but lists no
   * backend and counts nowhere, since its own client's timeline counts it. Same order as {@link
   * #accept}.
   */
  public void learnFrom(DnsEvent event) {
    if (queries.matchedResponse(event)) {
      srvTargets.learnFrom(event);
    }
  }

  /**
   * The (client, backend) pairs that responses listed since the last call, in the order they were
   * first listed; the timeline keeps track of them from the first call on.
   */
  public Set<ClientBackend> drainListed() {
    Set<ClientBackend> drained = listed == null ? Set.of() : listed;
    listed = new LinkedHashSet<>();
    return drained;
  }

  /** What DNS said so far about the (client, backend) {@code pair}, or null when nothing. */
  public @Nullable BackendFacts facts(ClientBackend pair) {
    Backend b = backends.get(pair.client(), pair.backend());
    return b == null ? null : factsOf(b);
  }

  public long matchedResponses() {
    return matchedResponses;
  }

  public long unmatchedResponses() {
    return unmatchedResponses;
  }

  /** What DNS said about every backend so far. */
  List<BackendFacts> backends() {
    List<BackendFacts> facts = new ArrayList<>(backends.size());
    for (Backend b : backends.values()) {
      facts.add(factsOf(b));
    }
    return facts;
  }

  private static BackendFacts factsOf(Backend b) {
    TreeMap<Integer, Long> srvPortDns = new TreeMap<>();
    TreeMap<Integer, SrvPriorityWeight> srvPortPriorityWeight = new TreeMap<>();
    for (int i = 0; i < b.ports.length; i++) {
      srvPortDns.put(b.ports[i], b.portDns[i]);
      srvPortPriorityWeight.put(b.ports[i], b.portPriorityWeight[i]);
    }
    return new BackendFacts(
        b.client,
        b.address,
        b.firstSeenMicros,
        b.name,
        b.dnsCount,
        srvPortDns,
        srvPortPriorityWeight);
  }

  private void applyBackendRules(DnsEvent response) {
    List<DnsEventRecord> records = response.records();
    OrderKey at = response.order();
    // SRV answers teach before any A record is looked at: servers rotate record order, and the
    // response's own A records are the addresses of the targets it has just named. Most responses
    // hold A records only: the maps of SRV answers and aliases are made when a record needs them.
    srvTargets.learnFrom(response);
    Map<DnsName, ResponseSrv> srvHere = Map.of();
    Map<DnsName, List<DnsName>> aliasesOf = Map.of();
    for (DnsEventRecord r : records) {
      if (SrvLookup.teaches(r)) {
        if (srvHere.isEmpty()) {
          srvHere = new HashMap<>();
        }
        srvHere.computeIfAbsent(r.target(), t -> new ResponseSrv(r.owner())).ports.add(r.port());
      } else if (r.isCname()) {
        if (aliasesOf.isEmpty()) {
          aliasesOf = new HashMap<>();
        }
        aliasesOf.computeIfAbsent(r.target(), t -> new ArrayList<>()).add(r.owner());
      }
    }

    // The known SRV target each address record (by position) belongs to, if any.
    DnsName[] targetOf = new DnsName[records.size()];
    boolean aboutKnownTarget = srvTargets.knows(response.query().name(), at);
    for (int i = 0; i < records.size(); i++) {
      DnsEventRecord r = records.get(i);
      if (r.isAddress()) {
        targetOf[i] = knownTarget(r.owner(), aliasesOf, at);
        aboutKnownTarget |= targetOf[i] != null;
      }
    }
    if (!aliasesOf.isEmpty() && response.answerCount() <= 2 && !aboutKnownTarget) {
      return; // one backend behind an alias
    }

    IpAddress client = response.query().clientIp();
    long timestamp = response.order().timestampMicros();
    for (int i = 0; i < records.size(); i++) {
      DnsEventRecord r = records.get(i);
      if (!r.isAddress()) {
        continue;
      }
      DnsName target = targetOf[i];
      if (target != null) {
        ResponseSrv here = srvHere.get(target);
        // Known as of this response, whose own SRV answers are learnt: every port of `here` is.
        SrvTargets.Target known = srvTargets.get(target, at);
        DnsName service = here != null ? here.service : known.firstService();
        Set<Integer> ports = here != null ? here.ports : known.ports();
        list(client, r.address(), service, ports, known, timestamp);
      } else if (r.section() == DnsEventRecord.Section.ANSWER && response.answerCount() > 1) {
        list(client, r.address(), r.owner(), Set.of(), null, timestamp);
      }
    }
  }

  /**
   * Counts the current response (the {@code matchedResponses}-th) for the backend once, and once
   * per port, however many of its records list the backend. Per port, this listing's priority and
   * weight (those of the target's deciding record as known now; {@code target} is null when {@code
   * ports} is empty) replace the backend's unless they are of a higher priority: the lowest
   * priority of its listings, and the weight of the latest listing at it (DECISIONS.md). Within one
   * target a later listing never knows a higher priority; the rule decides between targets that
   * resolve to one address, and asks nothing of the records' places, so the split timeline's
   * knowledge keeps only the records whose priority or weight differs from the one before ({@link
   * SrvKnowledge#complete}).
   */
  private void list(
      IpAddress client,
      IpAddress address,
      DnsName name,
      Collection<Integer> ports,
      SrvTargets.Target target,
      long timestamp) {
    Backend b = backends.get(client, address);
    if (b == null) {
      b = new Backend(client, address, timestamp, name);
      backends.put(client, address, b);
    }
    if (b.listedBy != matchedResponses) {
      b.listedBy = matchedResponses;
      b.dnsCount++;
      if (listed != null) {
        listed.add(ClientBackend.of(client, address));
      }
    }
    for (int port : ports) {
      int i = portIndex(b, port);
      if (b.portListedBy[i] != matchedResponses) {
        b.portListedBy[i] = matchedResponses;
        b.portDns[i]++;
      }
      SrvPreference known = target.preference(port);
      SrvPriorityWeight had = b.portPriorityWeight[i];
      if (had == null
          || known.priority() < had.priority()
          || known.priority() == had.priority() && known.weight() != had.weight()) {
        b.portPriorityWeight[i] = known.priorityWeight();
      }
    }
  }

  /** Where {@code port} is in {@code b}'s ports, added when new. */
  private static int portIndex(Backend b, int port) {
    for (int i = 0; i < b.ports.length; i++) {
      if (b.ports[i] == port) {
        return i;
      }
    }
    int n = b.ports.length;
    b.ports = Arrays.copyOf(b.ports, n + 1);
    b.portDns = Arrays.copyOf(b.portDns, n + 1);
    b.portListedBy = Arrays.copyOf(b.portListedBy, n + 1);
    b.portPriorityWeight = Arrays.copyOf(b.portPriorityWeight, n + 1);
    b.ports[n] = port;
    b.portListedBy[n] = -1;
    return n;
  }

  /**
   * The known SRV target that {@code owner} is, or that reaches {@code owner} through the
   * response's CNAME answers; null when there is none.
   */
  private DnsName knownTarget(DnsName owner, Map<DnsName, List<DnsName>> aliasesOf, OrderKey at) {
    if (aliasesOf.isEmpty()) {
      return srvTargets.knows(owner, at) ? owner : null;
    }
    Set<DnsName> seen = new HashSet<>();
    ArrayDeque<DnsName> pending = new ArrayDeque<>();
    pending.add(owner);
    while (!pending.isEmpty()) {
      DnsName name = pending.poll();
      if (!seen.add(name)) {
        continue;
      }
      if (srvTargets.knows(name, at)) {
        return name;
      }
      pending.addAll(aliasesOf.getOrDefault(name, List.of()));
    }
    return null;
  }
}
