package dev.connbal.transforms.wire;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.util.VarInt;

/**
 * A coder that encodes a value into memory and hands the runner's stream one length-prefixed block,
 * and decodes from one block read whole.
 *
 * <p>Why: the values that cross the SYN and stream shuffles are arrays of numbers, and a runner's
 * stream costs far more per call than a byte array does (Flink's {@code DataOutputViewWrapper} pays
 * a virtual call and bounds checks per byte). Subclasses write and read plain streams over arrays,
 * one byte at a time if they like.
 */
public abstract class BlockCoder<T> extends AtomicCoder<T> {
  /** Writes {@code value}; {@code out} is an in-memory stream. */
  protected abstract void encodeBlock(T value, OutputStream out) throws IOException;

  /** Reads a value written by {@link #encodeBlock}; {@code in} holds exactly its bytes. */
  protected abstract T decodeBlock(InputStream in) throws IOException;

  /** A guess at a value's encoded size, so that the buffer rarely grows. */
  protected int sizeHint(T value) {
    return 64;
  }

  @Override
  public final void encode(T value, OutputStream out) throws IOException {
    if (value == null) {
      throw new CoderException("cannot encode null with " + getClass().getSimpleName());
    }
    BytesOutput block = new BytesOutput(sizeHint(value));
    encodeBlock(value, block);
    VarInt.encode(block.size(), out);
    out.write(block.buffer(), 0, block.size());
  }

  @Override
  public final T decode(InputStream in) throws IOException {
    int length = VarInt.decodeInt(in);
    if (length < 0) {
      throw new CoderException("negative block length " + length);
    }
    byte[] bytes = in.readNBytes(length);
    if (bytes.length < length) {
      throw new EOFException("block of " + length + " bytes ends after " + bytes.length);
    }
    BytesInput block = new BytesInput(bytes);
    T value = decodeBlock(block);
    if (block.remaining() != 0) {
      throw new CoderException(
          block.remaining() + " bytes left over after decoding " + getClass().getSimpleName());
    }
    return value;
  }

  /** Same bytes for equal values, always: subclasses write a value's fields in a fixed order. */
  @Override
  public void verifyDeterministic() {}
}
