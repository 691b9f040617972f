package dev.connbal.pipeline;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.schema.MessageType;

/**
 * Reads Parquet files back for tests with parquet-avro's own reader, apart from Beam's ParquetIO
 * that wrote them, so that a test checks the files as another Parquet reader sees them. Local files
 * only; the tests copy what they wrote elsewhere to a local file first.
 */
final class ParquetFiles {
  private ParquetFiles() {}

  /** Every record of {@code file}, in file order. */
  static List<GenericRecord> records(Path file) throws IOException {
    List<GenericRecord> records = new ArrayList<>();
    try (ParquetReader<GenericRecord> reader =
        AvroParquetReader.<GenericRecord>builder(new LocalInputFile(file))
            .withConf(new Configuration(false))
            .build()) {
      for (GenericRecord record = reader.read(); record != null; record = reader.read()) {
        records.add(record);
      }
    }
    return records;
  }

  /** Every record of {@code file} as its field values in schema order, strings as Strings. */
  static List<List<Object>> fieldValues(Path file) throws IOException {
    List<List<Object>> rows = new ArrayList<>();
    for (GenericRecord record : records(file)) {
      List<Object> values = new ArrayList<>();
      for (int i = 0; i < record.getSchema().getFields().size(); i++) {
        Object value = record.get(i);
        values.add(value instanceof CharSequence ? value.toString() : value);
      }
      rows.add(values);
    }
    return rows;
  }

  /** The Parquet schema in {@code file}'s footer. */
  static MessageType schema(Path file) throws IOException {
    try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
      return reader.getFooter().getFileMetaData().getSchema();
    }
  }

  /** A local file as Parquet's {@link InputFile} (Parquet 1.13 has none without Hadoop's). */
  private static final class LocalInputFile implements InputFile {
    private final Path file;

    LocalInputFile(Path file) {
      this.file = file;
    }

    @Override
    public long getLength() throws IOException {
      return Files.size(file);
    }

    @Override
    public SeekableInputStream newStream() throws IOException {
      SeekableByteChannel channel = Files.newByteChannel(file);
      return new DelegatingSeekableInputStream(Channels.newInputStream(channel)) {
        @Override
        public long getPos() throws IOException {
          return channel.position();
        }

        @Override
        public void seek(long newPos) throws IOException {
          channel.position(newPos);
        }

        @Override
        public int read(ByteBuffer buffer) throws IOException {
          return channel.read(buffer);
        }
      };
    }
  }
}
