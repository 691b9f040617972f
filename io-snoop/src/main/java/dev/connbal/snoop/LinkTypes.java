package dev.connbal.snoop;

/**
 * Link types in the numbering of the tcpdump.org registry (pcap's {@code LINKTYPE_*}, which pcapng
 * uses too): the one numbering {@link SnoopRecordView#linkType()} speaks whatever the capture's
 * format. Snoop files number their datalinks their own way (RFC 1761); their records are given the
 * registry's number of the same link.
 */
public final class LinkTypes {
  /** BSD loopback ({@code LINKTYPE_NULL}): a 4-byte address family in the host's byte order. */
  public static final int NULL = 0;

  /** Ethernet ({@code LINKTYPE_ETHERNET}), also snoop's 4 (and 0, IEEE 802.3). */
  public static final int ETHERNET = 1;

  /** Raw IPv4 or IPv6 ({@code LINKTYPE_RAW}). */
  public static final int RAW = 101;

  /** OpenBSD loopback ({@code LINKTYPE_LOOP}): a 4-byte big-endian address family. */
  public static final int LOOP = 108;

  /** Linux cooked capture v1 ({@code LINKTYPE_LINUX_SLL}). */
  public static final int LINUX_SLL = 113;

  /** Raw IPv4 ({@code LINKTYPE_IPV4}). */
  public static final int IPV4 = 228;

  /** Raw IPv6 ({@code LINKTYPE_IPV6}). */
  public static final int IPV6 = 229;

  /** Linux cooked capture v2 ({@code LINKTYPE_LINUX_SLL2}): what {@code tcpdump -i any} writes. */
  public static final int LINUX_SLL2 = 276;

  /** Snoop's datalink code for Ethernet (RFC 1761). */
  static final int SNOOP_ETHERNET = 4;

  /** Snoop's datalink code "Other" (RFC 1761): links snoop has no code of its own for. */
  static final int SNOOP_OTHER = 9;

  /** The link types {@link #isDecoded} accepts, as a report names them. */
  public static final String DECODED =
      "Ethernet (1), Linux cooked capture (113, 276), raw IP (101, 228, 229)"
          + " and BSD loopback (0, 108)";

  private LinkTypes() {}

  /**
   * Whether connbal decodes frames of {@code linkType}: the links SEMANTICS.md names. Readers
   * report a file (or pcapng interface) of any other link type once; its frames are counted as
   * skipped.
   */
  public static boolean isDecoded(int linkType) {
    return switch (linkType) {
      case NULL, ETHERNET, RAW, LOOP, LINUX_SLL, IPV4, IPV6, LINUX_SLL2 -> true;
      default -> false;
    };
  }

  /**
   * The registry's number of a snoop datalink that connbal reads (4 Ethernet, 0 IEEE 802.3 whose
   * frames are Ethernet frames).
   *
   * @throws IllegalArgumentException for any other datalink
   */
  public static int fromSnoopDatalink(int datalink) {
    if (datalink == SNOOP_ETHERNET || datalink == 0) {
      return ETHERNET;
    }
    throw new IllegalArgumentException("snoop datalink " + datalink + " is not read by connbal");
  }

  /** Snoop's code of a link type: 4 for Ethernet, 9 ("Other") for every other link. */
  public static int toSnoopDatalink(int linkType) {
    return linkType == ETHERNET ? SNOOP_ETHERNET : SNOOP_OTHER;
  }
}
