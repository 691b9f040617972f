package dev.connbal.snoop;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.util.OptionalLong;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * When a capture begins: the timestamp of its first record, in any format the reader knows,
 * gzip-compressed or not (told by its magic), reading no further than that record. A watch over
 * arriving captures uses it to tell how far capture time has come before the files are read.
 */
public final class CaptureStart {
  private CaptureStart() {}

  /**
   * The first record's time in microseconds since the epoch; empty when the file is not a capture
   * or holds no complete record yet.
   */
  public static OptionalLong firstRecordMicros(ResourceId file) throws IOException {
    try (InputStream in =
        GzipMagic.decompressedIfGzip(Channels.newInputStream(FileSystems.open(file)))) {
      try (CaptureFileReader reader =
          CaptureFileReader.open(
              file.toString(),
              Channels.newChannel(in),
              CaptureFileReader.DEFAULT_MAX_INCLUDED_LENGTH,
              true,
              Long.MAX_VALUE)) {
        return reader.firstRecordMicros();
      }
    }
  }
}
