package dev.connbal.transforms.decode;

/** The TCP flag bits connbal reads (FrameVisitor's flags byte). */
public final class TcpFlags {
  public static final int FIN = 0x01;
  public static final int SYN = 0x02;
  public static final int RST = 0x04;
  public static final int ACK = 0x10;

  private TcpFlags() {}

  /** SYN set and ACK, FIN, RST clear; other bits (PSH, URG, ECE, CWR) do not matter. */
  public static boolean isOpeningSyn(int flags) {
    return (flags & (SYN | ACK | FIN | RST)) == SYN;
  }

  public static boolean closes(int flags) {
    return (flags & (FIN | RST)) != 0;
  }
}
