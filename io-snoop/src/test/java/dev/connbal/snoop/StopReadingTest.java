package dev.connbal.snoop;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A {@link StopReading} request ends a read at its next record, as if its range ended there: the
 * records before it are delivered, nothing is reported as damaged, the range's end is signalled and
 * its restriction is done (a runner then finishes the run with what was read).
 */
class StopReadingTest {
  private static final int STOP_AFTER = 10;

  @TempDir Path dir;

  @AfterEach
  void letReadsGoOn() {
    StopReading.reset();
  }

  @ParameterizedTest
  @EnumSource(TestCaptures.Format.class)
  void aStopEndsTheReadAtTheNextRecord(TestCaptures.Format format) throws IOException {
    Path file = dir.resolve("capture");
    Files.write(file, TestCaptures.realistic(format, 7, 200, 1500));
    assertThat(ReaderHarness.readSequential(file, 65535).records.size(), greaterThan(STOP_AFTER));

    StoppingSink sink = new StoppingSink();
    long size = Files.size(file);
    RecordOffsetTracker tracker = new RecordOffsetTracker(new OffsetRange(0, size));
    try (CaptureFileReader reader =
        CaptureFileReader.open(file.toString(), FileChannel.open(file), 65535, false, size)) {
      reader.readRange(tracker, size, sink);
    }
    tracker.checkDone();
    assertThat(sink.records.size(), equalTo(STOP_AFTER));
    assertThat(sink.errors, empty());
    assertThat(sink.ended, equalTo(1));
  }

  /** Asks for a stop at its {@value #STOP_AFTER}th record. */
  private static final class StoppingSink extends ReaderHarness.Result {
    int ended;

    @Override
    public void record(SnoopRecordView record) {
      super.record(record);
      if (records.size() == STOP_AFTER) {
        StopReading.request();
      }
    }

    @Override
    public void end() {
      ended++;
    }
  }
}
