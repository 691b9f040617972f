package dev.connbal.snoop;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.range.OffsetRange;

/**
 * A byte range of a capture that is given where it starts reading, {@code H(from)}, and the format
 * reader's state there, so that it need not walk from the file's start to learn them ({@link
 * CaptureFileReader}). The splitting step makes them for pcapng files in one walk of the file:
 * without them, each of a file's n ranges walks the bytes before it, and the file is read about n/2
 * times.
 */
final class CaptureRange extends OffsetRange {
  private static final long serialVersionUID = 1L;

  private final long start;
  private final byte[] state;

  CaptureRange(long from, long to, long start, byte[] state) {
    super(from, to);
    if (start < from) {
      throw new IllegalArgumentException(
          "a range starts reading at or after its offset: " + start + " < " + from);
    }
    this.start = start;
    this.state = state.clone();
  }

  /** {@code H(from)}: the offset of the first item the range reads. */
  long start() {
    return start;
  }

  /** The format reader's state at {@link #start()} ({@link CaptureFormatReader#walkState()}). */
  byte[] state() {
    return state.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CaptureRange r
        && super.equals(r)
        && start == r.start
        && Arrays.equals(state, r.state);
  }

  @Override
  public int hashCode() {
    return Objects.hash(super.hashCode(), start, Arrays.hashCode(state));
  }

  @Override
  public String toString() {
    return super.toString() + " starting at " + start;
  }

  /** The restriction coder of {@link ParseSnoopFn}: plain ranges and ranges given their start. */
  static final class Coder extends CustomCoder<OffsetRange> {
    private static final long serialVersionUID = 1L;
    private static final VarLongCoder LONG = VarLongCoder.of();
    private static final ByteArrayCoder BYTES = ByteArrayCoder.of();
    private static final int PLAIN = 0;
    private static final int GIVEN_START = 1;

    @Override
    public void encode(OffsetRange range, OutputStream out) throws IOException {
      LONG.encode(range.getFrom(), out);
      LONG.encode(range.getTo(), out);
      if (range instanceof CaptureRange r) {
        out.write(GIVEN_START);
        LONG.encode(r.start, out);
        BYTES.encode(r.state, out);
      } else {
        out.write(PLAIN);
      }
    }

    @Override
    public OffsetRange decode(InputStream in) throws IOException {
      long from = LONG.decode(in);
      long to = LONG.decode(in);
      int kind = in.read();
      if (kind == PLAIN) {
        return new OffsetRange(from, to);
      }
      if (kind != GIVEN_START) {
        throw new CoderException("not a capture range: kind " + kind);
      }
      return new CaptureRange(from, to, LONG.decode(in), BYTES.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
