package dev.connbal.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Walks a generated snoop capture on its own (no connbal code): checks every record's lengths,
 * checksums and timestamp order, counts its frames by kind, and lists its DNS messages.
 */
final class FrameCensus {
  /** One DNS message over IPv4 UDP: its time, the client's address, and its question. */
  record DnsMessage(long micros, int client, boolean response, String name, int type) {}

  final List<String> problems = new ArrayList<>();
  final List<DnsMessage> dns = new ArrayList<>();
  boolean timestampsStrictlyIncrease = true;
  long records;
  int arp;
  int ipv6;
  int vlanTagged;
  int dnsQueries;
  int dnsResponses;

  /** UDP datagrams neither to nor from port 53. */
  int otherUdp;

  /** TCP segments whose flags byte is exactly 0x02 (what {@code tcp[13] == 0x02} keeps). */
  int pureSyns;

  /** TCP segments with any other flags byte. */
  int otherTcp;

  int synRetransmits;
  int ecnSyns;
  int resets;
  int fullSegments;
  int pureAcks;
  int smallDataSegments;
  int recordsUpTo128Bytes;
  private final Set<String> syns = new HashSet<>();

  private FrameCensus() {}

  static FrameCensus of(byte[] capture) {
    FrameCensus c = new FrameCensus();
    ByteBuffer b = ByteBuffer.wrap(capture);
    byte[] magic = new byte[8];
    b.get(magic);
    if (!Arrays.equals(magic, "snoop\0\0\0".getBytes(StandardCharsets.US_ASCII))
        || b.getInt() != 2
        || b.getInt() != 4) {
      c.problems.add("bad file header");
      return c;
    }
    long lastMicros = -1;
    while (b.remaining() > 0) {
      int at = b.position();
      int original = b.getInt();
      int included = b.getInt();
      int recordLength = b.getInt();
      b.getInt();
      long micros = (b.getInt() & 0xffffffffL) * 1_000_000L + b.getInt();
      if (original != included || recordLength != ((24 + included + 3) & ~3)) {
        c.problems.add(
            "record at " + at + ": lengths " + original + "/" + included + "/" + recordLength);
      }
      if (micros <= lastMicros) {
        c.timestampsStrictlyIncrease = false;
      }
      lastMicros = micros;
      byte[] frame = Arrays.copyOfRange(capture, at + 24, at + 24 + included);
      c.frame(at, micros, frame);
      c.records++;
      if (recordLength <= 128) {
        c.recordsUpTo128Bytes++;
      }
      b.position(at + recordLength);
    }
    return c;
  }

  /** Connection attempts: SYNs that are not retransmissions. */
  int firstSyns() {
    return syns.size();
  }

  private void frame(int at, long micros, byte[] f) {
    int type = u16(f, 12);
    int l3 = 14;
    if (type == 0x8100) {
      vlanTagged++;
      type = u16(f, 16);
      l3 = 18;
    }
    if (f.length < l3 + 46) {
      problems.add("record at " + at + ": frame shorter than the Ethernet minimum");
    }
    switch (type) {
      case 0x0806 -> arp++;
      case 0x86dd -> ipv6++;
      case 0x0800 -> ipv4(at, micros, f, l3);
      default -> problems.add("record at " + at + ": ethertype " + Integer.toHexString(type));
    }
  }

  private void ipv4(int at, long micros, byte[] f, int ip) {
    int total = u16(f, ip + 2);
    if (f[ip] != 0x45 || ip + total > f.length) {
      problems.add("record at " + at + ": IPv4 header or total length");
      return;
    }
    if (InternetChecksum.finish(InternetChecksum.sum(0, f, ip, ip + 20)) != 0) {
      problems.add("record at " + at + ": IPv4 header checksum");
    }
    int protocol = f[ip + 9];
    int l4 = ip + 20;
    int l4Length = total - 20;
    long pseudo = InternetChecksum.sum(0, f, ip + 12, ip + 20) + protocol + l4Length;
    if (InternetChecksum.finish(InternetChecksum.sum(pseudo, f, l4, l4 + l4Length)) != 0) {
      problems.add("record at " + at + ": protocol " + protocol + " checksum");
    }
    if (protocol == 17) {
      udp(at, micros, f, ip, l4, l4Length);
    } else if (protocol == 6) {
      tcp(f, ip, l4, l4Length);
    } else {
      problems.add("record at " + at + ": protocol " + protocol);
    }
  }

  private void udp(int at, long micros, byte[] f, int ip, int l4, int l4Length) {
    if (u16(f, l4 + 4) != l4Length) {
      problems.add("record at " + at + ": UDP length");
    }
    boolean query = u16(f, l4 + 2) == 53;
    boolean response = u16(f, l4) == 53;
    if (!query && !response) {
      otherUdp++;
      return;
    }
    if (query) {
      dnsQueries++;
    } else {
      dnsResponses++;
    }
    // The question name follows the 12-byte header, uncompressed.
    int name = l4 + 8 + 12;
    StringBuilder text = new StringBuilder();
    int p = name;
    while (f[p] != 0) {
      text.append(new String(f, p + 1, f[p], StandardCharsets.US_ASCII)).append('.');
      p += f[p] + 1;
    }
    int client = ByteBuffer.wrap(f, query ? ip + 12 : ip + 16, 4).getInt();
    dns.add(new DnsMessage(micros, client, response, text.toString(), u16(f, p + 1)));
  }

  private void tcp(byte[] f, int ip, int l4, int l4Length) {
    int flags = f[l4 + 13] & 0xff;
    if (flags == 0x02) {
      pureSyns++;
    } else {
      otherTcp++;
    }
    int payload = l4Length - ((f[l4 + 12] & 0xf0) >>> 2);
    if (payload == FrameWriter.MSS) {
      fullSegments++;
    } else if (payload > 0 && payload <= 200) {
      smallDataSegments++;
    } else if (payload == 0 && flags == 0x10) {
      pureAcks++;
    }
    if ((flags & 0x04) != 0) {
      resets++;
    }
    if ((flags & 0x17) == 0x02) {
      if ((flags & 0xc0) == 0xc0) {
        ecnSyns++;
      }
      String attempt = Arrays.toString(Arrays.copyOfRange(f, ip + 12, l4 + 8));
      if (!syns.add(attempt)) {
        synRetransmits++;
      }
    }
  }

  private static int u16(byte[] b, int at) {
    return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
  }
}
