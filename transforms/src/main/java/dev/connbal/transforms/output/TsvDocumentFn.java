package dev.connbal.transforms.output;

import dev.connbal.transforms.wire.TsvRowCoder;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.transforms.Combine;

/**
 * Gathers all rows, in the join's batches, into the one TSV document, sorted by client IP, backend IP and port, so the
 * output does not depend on the runner, the parallelism or how the files were split. There is one
 * row per (client, backend, port) of the DNS results, so the rows fit in memory.
 */
public final class TsvDocumentFn extends Combine.CombineFn<List<TsvRow>, List<TsvRow>, String> {
  private final IpFormat ipFormat;

  public TsvDocumentFn(IpFormat ipFormat) {
    this.ipFormat = ipFormat;
  }

  @Override
  public List<TsvRow> createAccumulator() {
    return new ArrayList<>();
  }

  @Override
  public List<TsvRow> addInput(List<TsvRow> rows, List<TsvRow> shardRows) {
    rows.addAll(shardRows);
    return rows;
  }

  @Override
  public List<TsvRow> mergeAccumulators(Iterable<List<TsvRow>> accumulators) {
    List<TsvRow> all = new ArrayList<>();
    accumulators.forEach(all::addAll);
    return all;
  }

  @Override
  public String extractOutput(List<TsvRow> rows) {
    List<TsvRow> sorted = new ArrayList<>(rows);
    sorted.sort(TsvRow.ORDER);
    StringBuilder document = new StringBuilder();
    for (TsvRow row : sorted) {
      document.append(row.format(ipFormat));
    }
    return document.toString();
  }

  @Override
  public Coder<List<TsvRow>> getAccumulatorCoder(
      CoderRegistry registry, Coder<List<TsvRow>> inputCoder)
      throws CannotProvideCoderException {
    return ListCoder.of(TsvRowCoder.of());
  }
}
