package dev.connbal.transforms.window;

import dev.connbal.transforms.count.IncrementalStreamTracker;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;

/**
 * The coder of a stream shard's {@link IncrementalStreamTracker} in state: the tracker's own {@code
 * writeTo}, not Java serialization (see {@link ShardTimelineCoder}).
 */
final class StreamTrackerCoder extends AtomicCoder<IncrementalStreamTracker> {
  private static final StreamTrackerCoder INSTANCE = new StreamTrackerCoder();

  static StreamTrackerCoder of() {
    return INSTANCE;
  }

  private StreamTrackerCoder() {}

  @Override
  public void encode(IncrementalStreamTracker tracker, OutputStream out) throws IOException {
    DataOutputStream data = new DataOutputStream(out);
    tracker.writeTo(data);
    data.flush();
  }

  @Override
  public IncrementalStreamTracker decode(InputStream in) throws IOException {
    return IncrementalStreamTracker.readFrom(new DataInputStream(in));
  }

  @Override
  public void verifyDeterministic() {}
}
