package dev.connbal.transforms;

/** The TCP flag bits connbal reads (FrameVisitor's flags byte). */
final class TcpFlags {
  static final int FIN = 0x01;
  static final int SYN = 0x02;
  static final int RST = 0x04;
  static final int ACK = 0x10;

  private TcpFlags() {}

  /** SYN set and ACK, FIN, RST clear; other bits (PSH, URG, ECE, CWR) do not matter. */
  static boolean isOpeningSyn(int flags) {
    return (flags & (SYN | ACK | FIN | RST)) == SYN;
  }

  static boolean closes(int flags) {
    return (flags & (FIN | RST)) != 0;
  }
}
