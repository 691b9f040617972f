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

  /**
   * IP packets whose transport header cannot be read: ESP (50) encrypts it, No Next Header (59)
   * says there is none.
   */
  public long noTransportHeader;

  /**
   * Frames too short or inconsistent to decode: truncated link headers or VLAN tags, raw IP of
   * another version, IPv4 with a bad version, IHL or total length, IPv6 shorter than its header,
   * with a payload length past the frame or an IPv4-mapped address, truncated IPv6 extension
   * headers, truncated or inconsistent TCP and UDP headers.
   */
  public long malformedFrames;

  /**
   * IPv4 and IPv6 fragments skipped because their transport payload is incomplete: every non-first
   * fragment, and first fragments of UDP (a DNS message cut in pieces cannot be decoded).
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
    noTransportHeader += other.noTransportHeader;
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
        + ", noTransportHeader="
        + noTransportHeader
        + ", malformedFrames="
        + malformedFrames
        + ", fragments="
        + fragments
        + ", dnsMalformed="
        + dnsMalformed
        + "}";
  }
}
