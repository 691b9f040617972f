package dev.connbal.transforms.testing;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import dev.connbal.snoop.SnoopWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pcap4j.packet.DnsPacket;
import org.pcap4j.packet.DnsRDataA;
import org.pcap4j.packet.Dot1qVlanTagPacket;
import org.pcap4j.packet.EthernetPacket;
import org.pcap4j.packet.IpV4Packet;
import org.pcap4j.packet.TcpPacket;
import org.pcap4j.packet.UdpPacket;

/** The shared frame builders produce what they say, checked by parsing back with pcap4j. */
class PacketsTest {

  @Test
  void tcpCarriesAllEightFlagBitsPortsAndSequence() throws Exception {
    byte[] frame =
        Packets.tcp(
            "10.0.0.1",
            40000,
            "10.0.0.2",
            443,
            Packets.SYN | Packets.ECE | Packets.CWR,
            0xFFFFFFF0L);

    // Byte 13 of the TCP header holds the flags; Ethernet 14 + IPv4 20 before it.
    assertThat(frame[14 + 20 + 13] & 0xff, is(0xC2));
    TcpPacket tcp = EthernetPacket.newPacket(frame, 0, frame.length).get(TcpPacket.class);
    assertThat(tcp.getHeader().getSrcPort().valueAsInt(), is(40000));
    assertThat(tcp.getHeader().getDstPort().valueAsInt(), is(443));
    assertThat(tcp.getHeader().getSequenceNumberAsLong(), is(0xFFFFFFF0L));
    assertThat(tcp.getHeader().getSyn(), is(true));
    assertThat(tcp.getHeader().getAck(), is(false));
  }

  @Test
  void dnsResponseHoldsSectionsInOrder() throws Exception {
    byte[] frame =
        Packets.dnsResponse(
            "10.0.0.1",
            5353,
            "10.0.0.53",
            7,
            "svc.example.",
            33,
            List.of(Packets.srv("svc.example.", "b1.example.", 8080)),
            List.of(Packets.ns("example.", "ns1.example.")),
            List.of(Packets.a("b1.example.", "10.1.0.1"), Packets.opt()));

    EthernetPacket eth = EthernetPacket.newPacket(frame, 0, frame.length);
    UdpPacket udp = eth.get(UdpPacket.class);
    assertThat(udp.getHeader().getSrcPort().valueAsInt(), is(53));
    assertThat(udp.getHeader().getDstPort().valueAsInt(), is(5353));
    DnsPacket dns = eth.get(DnsPacket.class);
    assertThat(dns.getHeader().isResponse(), is(true));
    assertThat(dns.getHeader().getAnCount(), is((short) 1));
    assertThat(dns.getHeader().getNsCount(), is((short) 1));
    assertThat(dns.getHeader().getArCount(), is((short) 2));
    DnsRDataA a = (DnsRDataA) dns.getHeader().getAdditionalInfo().get(0).getRData();
    assertThat(a.getAddress().getHostAddress(), is("10.1.0.1"));
  }

  @Test
  void vlanTagsStackOutermostLast() throws Exception {
    byte[] plain = Packets.syn("10.0.0.1", 1000, "10.0.0.2", 80, 1);
    byte[] tagged =
        Packets.vlan(Packets.vlan(plain, Packets.TPID_8021Q, 10), Packets.TPID_8021AD, 20);

    assertThat(tagged.length, is(plain.length + 8));
    assertThat(((tagged[12] & 0xff) << 8) | (tagged[13] & 0xff), is(0x88a8));
    assertThat(((tagged[16] & 0xff) << 8) | (tagged[17] & 0xff), is(0x8100));
    assertThat(((tagged[20] & 0xff) << 8) | (tagged[21] & 0xff), is(0x0800));
    EthernetPacket inner = EthernetPacket.newPacket(plain, 0, plain.length);
    Dot1qVlanTagPacket outerTag =
        EthernetPacket.newPacket(Packets.vlan(plain, Packets.TPID_8021Q, 10), 0, plain.length + 4)
            .get(Dot1qVlanTagPacket.class);
    assertThat(outerTag.getHeader().getVidAsInt(), is(10));
    assertThat(outerTag.get(IpV4Packet.class), equalTo(inner.get(IpV4Packet.class)));
  }

  @Test
  void rawDnsWritesWhatItIsTold() {
    byte[] msg =
        RawDns.header(0x1234, RawDns.FLAGS_RESPONSE, 1, 0, 0, 0)
            .name("a.b")
            .u16(1)
            .u16(1)
            .pointer(RawDns.QUESTION_OFFSET)
            .build();
    assertThat(msg.length, is(12 + 5 + 4 + 2));
    assertThat(msg[12], is((byte) 1));
    assertThat(msg[13], is((byte) 'a'));
    assertThat(msg[msg.length - 2] & 0xff, is(0xC0));
    assertThat(msg[msg.length - 1] & 0xff, is(12));
  }

  @Test
  void ipHasFirstOctetInHighByte() {
    assertThat(Packets.v4("10.0.0.1"), is(0x0A000001));
    assertThat(Packets.v4("255.1.2.3"), is(0xFF010203));
  }

  @Test
  void captureWritesSnoopRecords(@TempDir Path dir) throws Exception {
    byte[] f1 = Packets.syn("10.0.0.1", 1000, "10.0.0.2", 80, 1);
    byte[] f2 = Packets.dnsQuery("10.0.0.1", 5000, "10.0.0.53", 1, "x.example", 1);
    Path file = Capture.at(100, 5, f1).then(101, 999_999, f2).writeTo(dir.resolve("c.snoop"));

    byte[] bytes = Files.readAllBytes(file);
    assertThat(
        bytes.length,
        is(
            SnoopWriter.FILE_HEADER_LENGTH
                + SnoopWriter.paddedRecordLength(f1.length)
                + SnoopWriter.paddedRecordLength(f2.length)));
    assertThat(Capture.empty().toBytes().length, is(SnoopWriter.FILE_HEADER_LENGTH));
    List<Byte> magic = List.of(bytes[0], bytes[1], bytes[2], bytes[3], bytes[4]);
    assertThat(magic, contains((byte) 's', (byte) 'n', (byte) 'o', (byte) 'o', (byte) 'p'));
  }
}
