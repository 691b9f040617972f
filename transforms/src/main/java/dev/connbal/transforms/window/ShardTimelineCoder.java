package dev.connbal.transforms.window;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;

/**
 * The coder of a shard's {@link ShardTimeline} in keyed state: the timeline's own written form
 * ({@link ShardTimeline#writeTo}), its waiting events as {@link TimedEventCoder} writes them.
 * Deterministic (maps by pair, SRV targets by name), and a few bytes per query, attempt and backend
 * instead of Java serialization's class descriptions: runners copy state through its coder.
 */
final class ShardTimelineCoder extends AtomicCoder<ShardTimeline> {
  private static final ShardTimelineCoder INSTANCE = new ShardTimelineCoder();
  private static final ShardTimeline.EventCodec EVENTS =
      new ShardTimeline.EventCodec() {
        @Override
        public void write(TimedEvent event, DataOutputStream out) throws IOException {
          TimedEventCoder.of().encode(event, out);
        }

        @Override
        public TimedEvent read(DataInputStream in) throws IOException {
          return TimedEventCoder.of().decode(in);
        }
      };

  static ShardTimelineCoder of() {
    return INSTANCE;
  }

  private ShardTimelineCoder() {}

  @Override
  public void encode(ShardTimeline timeline, OutputStream out) throws IOException {
    DataOutputStream data = new DataOutputStream(out);
    timeline.writeTo(data, EVENTS);
    data.flush();
  }

  @Override
  public ShardTimeline decode(InputStream in) throws IOException {
    return ShardTimeline.readFrom(new DataInputStream(in), EVENTS);
  }

  @Override
  public void verifyDeterministic() {}
}
