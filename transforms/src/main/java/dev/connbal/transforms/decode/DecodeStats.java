package dev.connbal.transforms.decode;

/**
 * Counters of what frame decoding saw, kept per DoFn bundle (so plain mutable longs, no
 * synchronisation) and summed with {@link #add}.
 */
public final class DecodeStats {
  /** Frames handed to {@link FrameDecoder#decode}. */
  public long frames;

  /**
   * Frames skipped because their link type is none that connbal decodes ({@link
   * dev.connbal.snoop.LinkTypes#isDecoded}).
   */
  public long unsupportedLinkType;

  /**
   * Frames skipped because their link header names something other than IP: other ethertypes (ARP,
   * 802.3 length frames, ...) and other loopback address families.
   */
  public long notIp;

  /** Well-formed IPv6 packets, skipped because the analysis does not read IPv6 yet. */
  public long ipv6NotAnalysed;

  /**
   * Frames too short or inconsistent to decode: truncated link headers or VLAN tags, raw IP of
   * another version, IPv4 with a bad version, IHL or total length, IPv6 shorter than its header,
   * truncated or inconsistent TCP and UDP headers.
   */
  public long malformedFrames;

  /**
   * IPv4 fragments skipped because their transport payload is incomplete: every non-first fragment,
   * and first fragments of UDP (a DNS message cut in pieces cannot be decoded).
   */
  public long fragments;

  /**
   * DNS messages that {@link DnsMessage#decode} rejected. {@link FrameDecoder} never touches this
   * counter: whoever decodes the DNS payload a visitor received counts its failures here.
   */
  public long dnsMalformed;

  /** Adds {@code other}'s counters to this one's. */
  public void add(DecodeStats other) {
    frames += other.frames;
    unsupportedLinkType += other.unsupportedLinkType;
    notIp += other.notIp;
    ipv6NotAnalysed += other.ipv6NotAnalysed;
    malformedFrames += other.malformedFrames;
    fragments += other.fragments;
    dnsMalformed += other.dnsMalformed;
  }

  @Override
  public String toString() {
    return "DecodeStats{frames="
        + frames
        + ", unsupportedLinkType="
        + unsupportedLinkType
        + ", notIp="
        + notIp
        + ", ipv6NotAnalysed="
        + ipv6NotAnalysed
        + ", malformedFrames="
        + malformedFrames
        + ", fragments="
        + fragments
        + ", dnsMalformed="
        + dnsMalformed
        + "}";
  }
}
