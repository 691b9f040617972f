package dev.connbal.pipeline;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Captures a rotating writer puts into a watched directory, for the watch tests on a cluster: the
 * real capture (10.4 s of traffic) moved later by {@link #SHIFT_SECONDS} per capture, each put in
 * place whole (written under a name the pattern does not match, then renamed).
 */
final class RotatedCaptures {
  static final Path REAL_CAPTURE = Path.of("../examples/real-capture/capture.snoop");

  /** How much later each capture is than the one before it. */
  static final int SHIFT_SECONDS = 20;

  private RotatedCaptures() {}

  /** Writes the capture moved {@code n} times {@link #SHIFT_SECONDS} later as {@code n.snoop}. */
  static void putInPlace(Path dir, int n) throws IOException {
    byte[] moved = Files.readAllBytes(REAL_CAPTURE);
    ByteBuffer records = ByteBuffer.wrap(moved);
    // RFC 1761: a 16-byte file header, then records of a 24-byte header (original length,
    // included length, record length, drops, seconds, microseconds), all big-endian.
    for (int at = 16; at + 24 <= moved.length; at += records.getInt(at + 8)) {
      records.putInt(at + 16, records.getInt(at + 16) + n * SHIFT_SECONDS);
    }
    Path partial = dir.resolve(n + ".partial");
    Files.write(partial, moved);
    Files.move(partial, dir.resolve(n + ".snoop"), StandardCopyOption.ATOMIC_MOVE);
  }
}
