package dev.connbal.snoop;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MetadataCoderV2;
import org.apache.beam.sdk.transforms.Contextful;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.Requirements;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.Watch;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Watches file patterns (any Beam FileSystem) for captures as they arrive, and outputs each once,
 * when it is complete: a rotating writer grows its file in place, so a capture is taken when its
 * size has not changed for one poll interval (or it was last modified longer ago than that).
 *
 * <p>Event time is capture time: a capture leaves stamped with the time of its first record ({@link
 * CaptureStart}), and the watermark follows the first records of the captures taken in the latest
 * poll, since a writer's next capture begins after them. Beam's {@code FileIO.match().continuously}
 * sets the watermark to the wall clock instead, which would make every packet of a capture late
 * that was written before it was found, and every packet of an archive copied in.
 *
 * <p>A JVM-wide stop ({@link StopReading}) ends every watch of the process at its next poll, as if
 * its time without new captures had run out: how a local run's first interrupt ends a watch.
 */
public final class WatchCaptures extends PTransform<PBegin, PCollection<MatchResult.Metadata>> {
  private final List<String> patterns;
  private final Duration pollInterval;
  private final @Nullable Duration stopAfterIdle;
  private final @Nullable String endMarker;

  private WatchCaptures(
      List<String> patterns,
      Duration pollInterval,
      @Nullable Duration stopAfterIdle,
      @Nullable String endMarker) {
    this.patterns = patterns;
    this.pollInterval = pollInterval;
    this.stopAfterIdle = stopAfterIdle;
    this.endMarker = endMarker;
  }

  /** Watches {@code patterns}, polling every 10 seconds, until the pipeline is stopped. */
  public static WatchCaptures of(List<String> patterns) {
    checkArgument(patterns != null && !patterns.isEmpty(), "at least one file pattern is needed");
    return new WatchCaptures(List.copyOf(patterns), Duration.standardSeconds(10), null, null);
  }

  /** How often the patterns are matched, and how long a capture must stay unchanged. */
  public WatchCaptures withPollInterval(Duration interval) {
    checkArgument(
        interval != null && interval.getMillis() > 0,
        "poll interval must be positive: %s",
        interval);
    return new WatchCaptures(patterns, interval, stopAfterIdle, endMarker);
  }

  /** Ends the watch of a pattern once {@code idle} has passed without a new capture. */
  public WatchCaptures withStopAfterIdle(Duration idle) {
    checkArgument(idle != null && idle.getMillis() > 0, "idle time must be positive: %s", idle);
    return new WatchCaptures(patterns, pollInterval, idle, endMarker);
  }

  /**
   * Ends the watch at the first poll that finds the file {@code marker} (any Beam file system): its
   * writer puts each capture in place whole and then the marker, so that poll takes every capture
   * there is, each complete, and the watermark goes to the end of time.
   */
  public WatchCaptures withEndMarker(String marker) {
    checkArgument(marker != null && !marker.isEmpty(), "an end marker needs a path");
    return new WatchCaptures(patterns, pollInterval, stopAfterIdle, marker);
  }

  @Override
  public PCollection<MatchResult.Metadata> expand(PBegin begin) {
    Watch.Growth<String, MatchResult.Metadata, String> watch =
        Watch.growthOf(
                Contextful.of(new PollCaptures(pollInterval, endMarker), Requirements.empty()),
                new CaptureName())
            .withOutputCoder(MetadataCoderV2.of())
            .withOutputKeyCoder(StringUtf8Coder.of())
            .withPollInterval(pollInterval)
            .withTerminationPerInput(new IdleFor(stopAfterIdle));
    return begin
        .apply("Patterns", Create.of(patterns).withCoder(StringUtf8Coder.of()))
        .apply("Poll", watch)
        .apply("Captures", Values.create());
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(DisplayData.item("patterns", String.join(" ", patterns)).withLabel("Watched patterns"))
        .add(DisplayData.item("pollInterval", pollInterval).withLabel("Poll interval"))
        .addIfNotNull(DisplayData.item("stopAfterIdle", stopAfterIdle).withLabel("Stop after idle"))
        .addIfNotNull(DisplayData.item("endMarker", endMarker).withLabel("End marker"));
  }

  /**
   * When a pattern's watch ends: once {@code idle} has passed since its last new capture, or since
   * it began when none came (Beam's {@code afterTimeSinceNewOutput} waits for a first one forever);
   * never without {@code idle}; at once after a {@link StopReading} request.
   */
  private static final class IdleFor implements Watch.Growth.TerminationCondition<String, Instant> {
    private final @Nullable Duration idle;

    IdleFor(@Nullable Duration idle) {
      this.idle = idle;
    }

    @Override
    public Coder<Instant> getStateCoder() {
      return InstantCoder.of();
    }

    @Override
    public Instant forNewInput(Instant now, @Nullable String pattern) {
      return now;
    }

    @Override
    public Instant onSeenNewOutput(Instant now, Instant lastNew) {
      return now;
    }

    @Override
    public boolean canStopPolling(Instant now, Instant lastNew) {
      return StopReading.requested() || (idle != null && !now.isBefore(lastNew.plus(idle)));
    }

    @Override
    public String toString(Instant lastNew) {
      return "IdleFor{" + idle + " since " + lastNew + "}";
    }
  }

  /** What the watch knows a capture by, to output it once: its name. */
  private static final class CaptureName
      implements SerializableFunction<MatchResult.Metadata, String> {
    @Override
    public String apply(MatchResult.Metadata m) {
      return m.resourceId().toString();
    }
  }

  /**
   * One poll of a pattern: the captures that are complete, each stamped with its first record's
   * time, and the watermark: the first record of the earliest capture still growing, whose writer
   * will write nothing earlier, or when none grows, that of the latest complete capture. Remembers
   * sizes and first records of earlier polls in this instance: after a restart a growing capture
   * waits one interval more, and nothing is read twice (the watch keeps what it output). Once the
   * end marker exists, every capture is complete and the poll is the last.
   */
  static final class PollCaptures extends Watch.Growth.PollFn<String, MatchResult.Metadata> {
    private final Duration interval;
    private final @Nullable String endMarker;

    /**
     * Per capture, its size and since when (wall clock, ms) polls have seen it: a size counts as
     * unchanged for an interval by the clock, not by a count of polls, since a runner may poll
     * again at once (Beam's Flink runner fires the watch's timers without waiting while it finishes
     * a job without checkpoints).
     */
    private transient Map<String, long[]> sizeSince;

    private transient Map<String, Instant> firstRecords;

    PollCaptures(Duration interval, @Nullable String endMarker) {
      this.interval = interval;
      this.endMarker = endMarker;
    }

    @Override
    public Watch.Growth.PollResult<MatchResult.Metadata> apply(String pattern, Context c)
        throws IOException {
      Polled polled = poll(pattern, System.currentTimeMillis());
      if (polled.last()) {
        return Watch.Growth.PollResult.complete(polled.taken());
      }
      Watch.Growth.PollResult<MatchResult.Metadata> result =
          Watch.Growth.PollResult.incomplete(polled.taken());
      return polled.watermark() == null ? result : result.withWatermark(polled.watermark());
    }

    /**
     * What one poll found: the captures it takes, whether it is the watch's last, and the watermark
     * it sets (null: none).
     */
    record Polled(
        List<TimestampedValue<MatchResult.Metadata>> taken,
        boolean last,
        @Nullable Instant watermark) {}

    /** One poll of {@code pattern} at {@code now} (ms since the epoch, the wall clock's). */
    Polled poll(String pattern, long now) throws IOException {
      if (StopReading.requested()) {
        return new Polled(List.of(), true, null);
      }
      if (sizeSince == null) {
        sizeSince = new HashMap<>();
        firstRecords = new HashMap<>();
      }
      // Looked for before the match: every capture is in place before the marker.
      boolean ended = endMarker != null && exists(endMarker);
      Map<String, long[]> sizes = new HashMap<>();
      List<TimestampedValue<MatchResult.Metadata>> complete = new ArrayList<>();
      Instant earliestGrowing = null;
      Instant latestComplete = null;
      for (MatchResult.Metadata m :
          FileSystems.match(pattern, EmptyMatchTreatment.ALLOW).metadata()) {
        String name = m.resourceId().toString();
        long[] seen = sizeSince.get(name);
        if (seen == null || seen[0] != m.sizeBytes()) {
          seen = new long[] {m.sizeBytes(), now};
        }
        sizes.put(name, seen);
        boolean unchanged = now - seen[1] >= interval.getMillis();
        boolean untouched =
            m.lastModifiedMillis() > 0 && now - m.lastModifiedMillis() >= interval.getMillis();
        Instant first = firstRecord(m);
        if (ended || unchanged || untouched) {
          complete.add(
              TimestampedValue.of(m, first == null ? new Instant(m.lastModifiedMillis()) : first));
          if (first != null && (latestComplete == null || first.isAfter(latestComplete))) {
            latestComplete = first;
          }
        } else if (first != null && (earliestGrowing == null || first.isBefore(earliestGrowing))) {
          earliestGrowing = first;
        }
      }
      sizeSince = sizes;
      firstRecords.keySet().retainAll(sizes.keySet());
      // The watch never moves its watermark back, whatever a poll says.
      return new Polled(
          complete,
          ended,
          ended ? null : earliestGrowing != null ? earliestGrowing : latestComplete);
    }

    private static boolean exists(String file) throws IOException {
      return FileSystems.match(List.of(file)).get(0).status() == MatchResult.Status.OK;
    }

    /** The capture's first record's time, once it has one; null before, or if it is no capture. */
    private @Nullable Instant firstRecord(MatchResult.Metadata m) {
      String name = m.resourceId().toString();
      Instant known = firstRecords.get(name);
      if (known != null) {
        return known;
      }
      OptionalLong micros;
      try {
        micros = CaptureStart.firstRecordMicros(m.resourceId());
      } catch (IOException e) {
        return null; // reading it reports what is wrong with it
      }
      if (micros.isEmpty()) {
        return null;
      }
      Instant first = Instant.ofEpochMilli(Math.floorDiv(micros.getAsLong(), 1000));
      firstRecords.put(name, first);
      return first;
    }
  }
}
