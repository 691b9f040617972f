package dev.connbal.bench;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.connbal.snoop.SnoopWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The decode-only probe's checks of record headers. */
class DecodeThroughputTest {
  @TempDir Path dir;

  @Test
  void hugeIncludedLengthIsABadHeaderNotAnOverflow() throws Exception {
    // included = 2^31 - 16: 24 + included overflows an int, which once let this header through
    // the "recordLength >= 24 + included" check and reported a truncated record instead.
    ByteBuffer file = ByteBuffer.allocate(16 + 24 + 40);
    file.put(SnoopWriter.MAGIC).putInt(2).putInt(4);
    file.putInt(60).putInt(Integer.MAX_VALUE - 15).putInt(64).putInt(0).putInt(0).putInt(0);
    Path capture = dir.resolve("bad.snoop");
    Files.write(capture, file.array());

    PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    IOException e = assertThrows(IOException.class, () -> DecodeThroughput.run(capture, out));
    assertThat(e.getMessage(), containsString("bad record header at offset 16"));
  }
}
