package dev.connbal.transforms.decode;

/**
 * Counters of what frame decoding saw, kept per DoFn bundle (so plain mutable longs, no
 * synchronisation) and summed with {@link #add}.
 */
public final class DecodeStats {
  /** Frames handed to {@link FrameDecoder#decode}. */
  public long frames;

  /**
   * Frames skipped because they do not carry IPv4: other ethertypes (IPv6, ARP, 802.3 length
   * frames, ...) and datalink types other than Ethernet.
   */
  public long nonIpv4;

  /**
   * Frames too short or inconsistent to decode: truncated Ethernet or VLAN headers, IPv4 with a bad
   * version, IHL or total length, truncated or inconsistent TCP and UDP headers.
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
    nonIpv4 += other.nonIpv4;
    malformedFrames += other.malformedFrames;
    fragments += other.fragments;
    dnsMalformed += other.dnsMalformed;
  }

  @Override
  public String toString() {
    return "DecodeStats{frames="
        + frames
        + ", nonIpv4="
        + nonIpv4
        + ", malformedFrames="
        + malformedFrames
        + ", fragments="
        + fragments
        + ", dnsMalformed="
        + dnsMalformed
        + "}";
  }
}
