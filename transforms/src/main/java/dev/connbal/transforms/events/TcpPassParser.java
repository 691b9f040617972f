package dev.connbal.transforms.events;

import dev.connbal.snoop.SnoopRecordParser;
import dev.connbal.transforms.keys.Shards;
import dev.connbal.transforms.timeline.BackendTable;
import java.util.List;
import java.util.function.Consumer;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * A parser of pass 2: it reads each range against the backend table, which it takes as its side
 * input, and keys what it outputs by shard.
 */
public abstract class TcpPassParser<OutputT> extends SnoopRecordParser<OutputT> {
  private static final long serialVersionUID = 1L;

  private final PCollectionView<BackendTable> backendTable;
  final Shards shards;

  TcpPassParser(PCollectionView<BackendTable> backendTable, Shards shards) {
    this.backendTable = backendTable;
    this.shards = shards;
  }

  @Override
  public final List<PCollectionView<?>> getSideInputs() {
    return List.of(backendTable);
  }

  @Override
  public final RangeParser startRange(RangeContext context, Consumer<OutputT> output) {
    return startRange(context.get(backendTable), output);
  }

  /** Starts parsing one range against {@code table}. */
  abstract RangeParser startRange(BackendTable table, Consumer<OutputT> output);
}
