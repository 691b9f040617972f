package dev.connbal.snoop;

import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.util.zip.GZIPInputStream;

/**
 * gzip told by its magic (RFC 1952: 1f 8b), not by a file name: captures are compressed by rotation
 * scripts and log shippers that do not always add {@code .gz}, and stdin has no name.
 */
public final class GzipMagic {
  private static final int ID1 = 0x1f;
  private static final int ID2 = 0x8b;

  private GzipMagic() {}

  /** Whether {@code n} bytes at {@code b[0]} begin with gzip's magic. */
  static boolean matches(byte[] b, int n) {
    return n >= 2 && (b[0] & 0xff) == ID1 && (b[1] & 0xff) == ID2;
  }

  /** {@code in}, decompressed when it starts with gzip's magic, as it is otherwise. */
  public static InputStream decompressedIfGzip(InputStream in) throws IOException {
    PushbackInputStream peek = new PushbackInputStream(in, 2);
    byte[] magic = peek.readNBytes(2);
    peek.unread(magic);
    return matches(magic, magic.length) ? new GZIPInputStream(peek) : peek;
  }

  /**
   * Whether a seekable channel at position 0 starts with gzip's magic; the channel is left at 0.
   */
  static boolean startsWithGzip(SeekableByteChannel channel) throws IOException {
    ByteBuffer magic = ByteBuffer.allocate(2);
    while (magic.hasRemaining() && channel.read(magic) >= 0) {
      // A channel may give fewer bytes than asked; a file shorter than 2 bytes is not gzip.
    }
    channel.position(0);
    return matches(magic.array(), magic.position());
  }

  /** {@code channel}, decompressed when it starts with gzip's magic, as it is otherwise. */
  static ReadableByteChannel decompressedIfGzip(ReadableByteChannel channel) throws IOException {
    return Channels.newChannel(decompressedIfGzip(Channels.newInputStream(channel)));
  }
}
