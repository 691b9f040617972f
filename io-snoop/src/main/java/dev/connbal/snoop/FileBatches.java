package dev.connbal.snoop;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.TimestampCombiner;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Small files read in batches: a file no larger than the desired split size is one byte range
 * anyway, and a run over thousands of them should cost what one capture of their bytes costs, not a
 * range's worth of the runner's bookkeeping per file. The Direct runner gives every element of a
 * splittable read a bundle of its own, and its grouping copies a key's values each time another
 * bundle of them arrives, so thousands of one-range files cost the square of their number there.
 * Packed into batches of about the desired split size, in name order, each read by one call that
 * reads its files one after the other (each file still a range of its own, with the same outputs),
 * they reach the steps after the read as few bundles as one file of their bytes would.
 */
public final class FileBatches {
  private FileBatches() {}

  /** Whether a file of {@code sizeBytes} is read in a batch: it is no larger than one range. */
  public static boolean isBatched(long sizeBytes, long desiredSplitSize) {
    return sizeBytes <= desiredSplitSize;
  }

  /**
   * The batch of each of {@code sizes} (files in the order they are packed), counted from 0: files
   * go into the current batch while its bytes stay within {@code desiredSplitSize}, and a batch
   * holds at least one file.
   */
  public static int[] pack(long[] sizes, long desiredSplitSize) {
    int[] batches = new int[sizes.length];
    int batch = 0;
    long bytes = 0;
    for (int i = 0; i < sizes.length; i++) {
      long size = Math.max(1, sizes[i]);
      if (bytes > 0 && bytes + size > desiredSplitSize) {
        batch++;
        bytes = 0;
      }
      bytes += size;
      batches[i] = batch;
    }
    return batches;
  }

  /** How many batches {@link #pack} makes of {@code sizes}. */
  public static int count(long[] sizes, long desiredSplitSize) {
    int[] batches = pack(sizes, desiredSplitSize);
    return batches.length == 0 ? 0 : batches[batches.length - 1] + 1;
  }

  /**
   * The batches of {@code files} ({@link #pack}, files in name order), each file keyed by its
   * batch.
   */
  static Batch batch(long desiredSplitSize) {
    return new Batch(desiredSplitSize);
  }

  /**
   * Implementation of {@link #batch}. The batches keep the files' timestamps (the groupings take
   * the earliest, not the end of the window), so that the watermark waits for their reading as it
   * waits for a file read on its own, and leave with the files' timestamp combiner.
   */
  static final class Batch
      extends PTransform<
          PCollection<FileIO.ReadableFile>,
          PCollection<KV<Integer, Iterable<FileIO.ReadableFile>>>> {
    private final long desiredSplitSize;

    private Batch(long desiredSplitSize) {
      this.desiredSplitSize = desiredSplitSize;
    }

    @Override
    public PCollection<KV<Integer, Iterable<FileIO.ReadableFile>>> expand(
        PCollection<FileIO.ReadableFile> files) {
      KvCoder<Integer, FileIO.ReadableFile> keyed = KvCoder.of(VarIntCoder.of(), files.getCoder());
      return files
          .apply("AllFiles", WithKeys.<Integer, FileIO.ReadableFile>of(0))
          .setCoder(keyed)
          .apply(
              "KeepTimestamps",
              Window.<KV<Integer, FileIO.ReadableFile>>configure()
                  .withTimestampCombiner(TimestampCombiner.EARLIEST))
          .apply("GroupAllFiles", GroupByKey.create())
          .apply("Pack", ParDo.of(new PackFn(desiredSplitSize)))
          .setCoder(keyed)
          .apply("GroupBatches", GroupByKey.create())
          .apply(
              "FilesTimestampCombiner",
              Window.<KV<Integer, Iterable<FileIO.ReadableFile>>>configure()
                  .withTimestampCombiner(files.getWindowingStrategy().getTimestampCombiner()));
    }
  }

  /** Keys every file by its batch ({@link #pack}, files in name order). */
  private static final class PackFn
      extends DoFn<KV<Integer, Iterable<FileIO.ReadableFile>>, KV<Integer, FileIO.ReadableFile>> {
    private final long desiredSplitSize;

    PackFn(long desiredSplitSize) {
      this.desiredSplitSize = desiredSplitSize;
    }

    @ProcessElement
    public void processElement(
        @Element KV<Integer, Iterable<FileIO.ReadableFile>> all,
        OutputReceiver<KV<Integer, FileIO.ReadableFile>> out) {
      List<FileIO.ReadableFile> files = new ArrayList<>();
      all.getValue().forEach(files::add);
      files.sort(Comparator.comparing(f -> f.getMetadata().resourceId().toString()));
      long[] sizes = files.stream().mapToLong(f -> f.getMetadata().sizeBytes()).toArray();
      int[] batches = pack(sizes, desiredSplitSize);
      for (int i = 0; i < batches.length; i++) {
        out.output(KV.of(batches[i], files.get(i)));
      }
    }
  }
}
