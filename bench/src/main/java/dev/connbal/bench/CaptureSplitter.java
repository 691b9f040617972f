package dev.connbal.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a snoop capture at record boundaries into a number of files of about equal size, each a
 * capture of its own with the original's 16-byte file header, named {@code part-00000.snoop},
 * {@code part-00001.snoop}, ... so that name order is capture order: an archive of many small
 * captures holding exactly the records of one.
 *
 * <pre>CaptureSplitter FILE DIR PARTS</pre>
 *
 * writes the parts into DIR (created if missing) and prints how many it wrote.
 */
public final class CaptureSplitter {
  private static final int FILE_HEADER = 16;
  private static final int RECORD_HEADER = 24;

  /** Offset of the record length in a record header. */
  private static final int RECORD_LENGTH_AT = 8;

  private CaptureSplitter() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      System.err.println("usage: CaptureSplitter FILE DIR PARTS");
      System.exit(1);
    }
    List<Path> parts = split(Path.of(args[0]), Path.of(args[1]), Integer.parseInt(args[2]));
    System.out.printf("split %s into %d files in %s%n", args[0], parts.size(), args[1]);
  }

  /**
   * Writes {@code parts} files (fewer when the capture has fewer records) into {@code dir}, part k
   * ending with the first record that reaches k + 1 parts' share of the record bytes; returns them
   * in order.
   */
  static List<Path> split(Path capture, Path dir, int parts) throws IOException {
    if (parts < 1) {
      throw new IllegalArgumentException("parts must be at least 1");
    }
    Files.createDirectories(dir);
    long recordBytes = Files.size(capture) - FILE_HEADER;
    List<Path> written = new ArrayList<>();
    try (InputStream in = new BufferedInputStream(Files.newInputStream(capture), 1 << 20)) {
      byte[] header = in.readNBytes(FILE_HEADER);
      if (header.length < FILE_HEADER) {
        throw new IOException(capture + ": shorter than a snoop file header");
      }
      byte[] record = new byte[RECORD_HEADER];
      byte[] buffer = new byte[1 << 16];
      long done = 0;
      OutputStream out = null;
      try {
        while (true) {
          int n = in.readNBytes(record, 0, RECORD_HEADER);
          if (n == 0) {
            break;
          }
          int length = recordLength(record, n, capture, done);
          if (out == null) {
            Path part = dir.resolve(String.format("part-%05d.snoop", written.size()));
            written.add(part);
            out = new BufferedOutputStream(Files.newOutputStream(part), 1 << 16);
            out.write(header);
          }
          out.write(record);
          copy(in, out, length - RECORD_HEADER, buffer, capture);
          done += length;
          if (done * parts >= recordBytes * written.size() && written.size() < parts) {
            out.close();
            out = null;
          }
        }
      } finally {
        if (out != null) {
          out.close();
        }
      }
    }
    return written;
  }

  private static int recordLength(byte[] record, int read, Path capture, long offset)
      throws IOException {
    if (read < RECORD_HEADER) {
      throw new IOException(capture + ": truncated record header at " + (FILE_HEADER + offset));
    }
    int length =
        ((record[RECORD_LENGTH_AT] & 0xff) << 24)
            | ((record[RECORD_LENGTH_AT + 1] & 0xff) << 16)
            | ((record[RECORD_LENGTH_AT + 2] & 0xff) << 8)
            | (record[RECORD_LENGTH_AT + 3] & 0xff);
    if (length < RECORD_HEADER) {
      throw new IOException(
          capture + ": record length " + length + " at " + (FILE_HEADER + offset));
    }
    return length;
  }

  private static void copy(InputStream in, OutputStream out, int count, byte[] buffer, Path capture)
      throws IOException {
    for (int left = count; left > 0; ) {
      int n = in.read(buffer, 0, Math.min(left, buffer.length));
      if (n < 0) {
        throw new EOFException(capture + ": truncated record");
      }
      out.write(buffer, 0, n);
      left -= n;
    }
  }
}
