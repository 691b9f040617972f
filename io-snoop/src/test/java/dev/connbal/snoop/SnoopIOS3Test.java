package dev.connbal.snoop;

import dev.connbal.snoop.testing.S3ProxyServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading {@code s3://} through Beam's aws2 filesystem from a real S3-compatible server. */
class SnoopIOS3Test {
  @TempDir Path tmp;

  @Test
  void readsTheSameRecordsFromS3AsFromLocalDisk() throws IOException {
    Path local = tmp.resolve("capture.snoop");
    Files.write(local, TestCaptures.adversarial(41, 1500, 1514));
    ReaderHarness.Result fromDisk =
        ReaderHarness.readSequential(local, RecordHeaderRules.DEFAULT_MAX_INCLUDED_LENGTH);
    String s3Name = "s3://captures/day1/capture.snoop";
    List<SnoopRecord> expected = new ArrayList<>();
    for (SnoopRecord r : fromDisk.records) {
      expected.add(
          SnoopRecord.of(
              s3Name,
              r.recordOffset(),
              r.seconds(),
              r.microseconds(),
              r.originalLength(),
              r.cumulativeDrops(),
              r.datalinkType(),
              r.frame()));
    }

    try (S3ProxyServer s3 = S3ProxyServer.startTransient()) {
      s3.createBucket("captures");
      s3.upload("captures", "day1/capture.snoop", local);
      PipelineOptions options =
          PipelineOptionsFactory.fromArgs(s3.pipelineOptionsArgs().toArray(new String[0])).create();
      options.setRunner(DirectRunner.class);
      Pipeline p = Pipeline.create(options);
      SnoopReadResult result =
          p.apply(SnoopIO.read().from("s3://captures/day1/*.snoop").withDesiredSplitSize(100_000));
      PAssert.that(result.records()).containsInAnyOrder(expected);
      PAssert.that(result.errors()).empty();
      p.run().waitUntilFinish();
    }
  }
}
