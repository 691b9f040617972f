package dev.connbal.transforms.events;

import dev.connbal.snoop.SnoopRecordParser;
import dev.connbal.transforms.MergedPieces;
import dev.connbal.transforms.keys.Shards;
import dev.connbal.transforms.timeline.BackendTable;
import java.util.List;
import java.util.function.Consumer;
import org.apache.beam.sdk.values.PCollectionView;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A parser of pass 2: it reads each range against the backend table, which it takes as its side
 * input in pieces and merges once ({@link MergedPieces}), and keys what it outputs by shard.
 */
public abstract class TcpPassParser<OutputT> extends SnoopRecordParser<OutputT> {
  private static final long serialVersionUID = 1L;

  private final PCollectionView<Iterable<BackendTable>> backendTable;
  final Shards shards;
  private transient @Nullable MergedPieces<BackendTable, BackendTable> table;

  /** The table in pieces, as {@link dev.connbal.transforms.ConnBal.CountStreams} takes it. */
  TcpPassParser(PCollectionView<Iterable<BackendTable>> backendTable, Shards shards) {
    this.backendTable = backendTable;
    this.shards = shards;
  }

  @Override
  public final List<PCollectionView<?>> getSideInputs() {
    return List.of(backendTable);
  }

  @Override
  public final RangeParser startRange(RangeContext context, Consumer<OutputT> output) {
    if (table == null) {
      table = new MergedPieces<>(BackendTable::union);
    }
    return startRange(table.of(context.get(backendTable)), output);
  }

  /** Starts parsing one range against {@code table}. */
  abstract RangeParser startRange(BackendTable table, Consumer<OutputT> output);
}
