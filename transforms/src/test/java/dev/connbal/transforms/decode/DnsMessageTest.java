package dev.connbal.transforms.decode;

import static dev.connbal.transforms.testing.Packets.a;
import static dev.connbal.transforms.testing.Packets.cname;
import static dev.connbal.transforms.testing.Packets.ns;
import static dev.connbal.transforms.testing.Packets.opt;
import static dev.connbal.transforms.testing.Packets.srv;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.sameInstance;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.connbal.snoop.LinkTypes;
import dev.connbal.transforms.decode.DnsDecodeException.Reason;
import dev.connbal.transforms.keys.IpAddress;
import dev.connbal.transforms.testing.Packets;
import dev.connbal.transforms.testing.RawDns;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Honest messages built with pcap4j or with real compression, decoded field by field. */
class DnsMessageTest {

  static DnsMessage decode(byte[] message) throws DnsDecodeException {
    return DnsMessage.decode(message, 0, message.length);
  }

  static DnsName name(String presentation) {
    return DnsName.fromPresentation(presentation);
  }

  static List<String> strings(List<DnsRecord> records) {
    List<String> out = new ArrayList<>();
    for (DnsRecord r : records) {
      out.add(r.toString());
    }
    return out;
  }

  @Test
  void query() throws Exception {
    DnsMessage m = decode(Packets.dnsQueryMessage(0xBEEF, "www.example.com", 1));

    assertThat(m.id(), is(0xBEEF));
    assertThat(m.isResponse(), is(false));
    assertThat(m.opcode(), is(0));
    assertThat(m.rcode(), is(0));
    assertThat(m.questionCount(), is(1));
    assertThat(m.questionName(), is(name("www.example.com.")));
    assertThat(m.questionName().presentation(), is("www.example.com."));
    assertThat(m.questionType(), is(DnsRecord.A));
    assertThat(m.questionClass(), is(DnsRecord.CLASS_IN));
    assertThat(
        List.of(m.answerCount(), m.authorityCount(), m.additionalCount()), is(List.of(0, 0, 0)));
    assertThat(m.answers(), is(empty()));
  }

  @Test
  void singleA() throws Exception {
    DnsMessage m =
        decode(
            Packets.dnsResponseMessage(
                7, "db.example", 1, a("db.example", "10.1.2.3").withTtl(60)));

    assertThat(m.isResponse(), is(true));
    assertThat(m.answerCount(), is(1));
    DnsRecord r = m.answers().get(0);
    assertThat(r.name(), is(name("db.example.")));
    assertThat(r.type(), is(DnsRecord.A));
    assertThat(r.dnsClass(), is(DnsRecord.CLASS_IN));
    assertThat(r.ttl(), is(60L));
    assertThat(r.address(), is(Packets.ip("10.1.2.3")));
  }

  @Test
  void multiA() throws Exception {
    DnsMessage m =
        decode(
            Packets.dnsResponseMessage(
                7,
                "web.example",
                1,
                a("web.example", "10.0.0.1"),
                a("web.example", "10.0.0.2"),
                a("web.example", "10.0.0.3")));

    assertThat(
        strings(m.answers()),
        contains(
            "web.example. 300 class 1 type 1 10.0.0.1",
            "web.example. 300 class 1 type 1 10.0.0.2",
            "web.example. 300 class 1 type 1 10.0.0.3"));
  }

  @Test
  void srvWithAdditionalAddresses() throws Exception {
    DnsMessage m =
        decode(
            Packets.dnsResponseMessage(
                9,
                "_ldap._tcp.example",
                33,
                List.of(
                    srv("_ldap._tcp.example", "dc1.example", 389),
                    srv("_ldap._tcp.example", "dc2.example", 3268)),
                List.of(),
                List.of(a("dc1.example", "10.2.0.1"), a("dc2.example", "10.2.0.2"))));

    assertThat(m.questionType(), is(DnsRecord.SRV));
    DnsRecord first = m.answers().get(0);
    assertThat(first.type(), is(DnsRecord.SRV));
    assertThat(first.name(), is(name("_ldap._tcp.example.")));
    assertThat(first.srvPort(), is(389));
    assertThat(first.srvTarget(), is(name("dc1.example.")));
    assertThat(m.answers().get(1).srvPort(), is(3268));
    assertThat(m.answers().get(1).srvTarget(), is(name("dc2.example.")));
    assertThat(List.of(first.srvPriority(), first.srvWeight()), is(List.of(10, 10)));
    assertThat(
        strings(m.additionals()),
        contains(
            "dc1.example. 300 class 1 type 1 10.2.0.1",
            "dc2.example. 300 class 1 type 1 10.2.0.2"));
  }

  /**
   * PRIORITY and WEIGHT are the first two 16-bit fields of SRV rdata, read unsigned and kept apart
   * from the port: values that differ in every field, and the largest.
   */
  @Test
  void srvPriorityAndWeight() throws Exception {
    DnsMessage m =
        decode(
            Packets.dnsResponseMessage(
                9,
                "_sip._tcp.example",
                33,
                srv("_sip._tcp.example", "a.example", 5060, 0, 65535),
                srv("_sip._tcp.example", "b.example", 5061, 65535, 0),
                srv("_sip._tcp.example", "c.example", 5062, 1, 60)));

    assertThat(
        strings(m.answers()),
        contains(
            "_sip._tcp.example. 300 class 1 type 33 0 65535 a.example.:5060",
            "_sip._tcp.example. 300 class 1 type 33 65535 0 b.example.:5061",
            "_sip._tcp.example. 300 class 1 type 33 1 60 c.example.:5062"));
    DnsRecord c = m.answers().get(2);
    assertThat(List.of(c.srvPriority(), c.srvWeight(), c.srvPort()), is(List.of(1, 60, 5062)));
    DnsRecord b = m.answers().get(1);
    assertThat(List.of(b.srvPriority(), b.srvWeight()), is(List.of(65535, 0)));
  }

  @Test
  void cnameChain() throws Exception {
    DnsMessage m =
        decode(
            Packets.dnsResponseMessage(
                3,
                "www.example",
                1,
                cname("www.example", "edge.cdn.example"),
                cname("edge.cdn.example", "pop7.cdn.example"),
                a("pop7.cdn.example", "10.3.0.7")));

    assertThat(m.answers().get(0).cnameTarget(), is(name("edge.cdn.example.")));
    assertThat(m.answers().get(1).name(), is(name("edge.cdn.example.")));
    assertThat(m.answers().get(1).cnameTarget(), is(name("pop7.cdn.example.")));
    assertThat(m.answers().get(2).address(), is(Packets.ip("10.3.0.7")));
  }

  @Test
  void optInAdditionalAndNsInAuthority() throws Exception {
    DnsMessage m =
        decode(
            Packets.dnsResponseMessage(
                3,
                "www.example",
                1,
                List.of(a("www.example", "10.0.0.1")),
                List.of(ns("example", "ns1.example"), ns("example", "ns2.example")),
                List.of(a("ns1.example", "10.0.0.53"), opt())));

    assertThat(
        strings(m.authorities()),
        contains("example. 300 class 1 type 2", "example. 300 class 1 type 2"));
    DnsRecord optRecord = m.additionals().get(1);
    assertThat(optRecord.type(), is(DnsRecord.OPT));
    assertThat(optRecord.name(), is(DnsName.root()));
    assertThat(optRecord.dnsClass(), is(1232));
    assertThat(optRecord.ttl(), is(0L));
    assertThat(m.additionals().get(0).address(), is(Packets.ip("10.0.0.53")));
  }

  @Test
  void otherTypesKeepCommonFieldsOnly() throws Exception {
    DnsMessage m =
        decode(
            Packets.dnsResponseMessage(
                3,
                "v6.example",
                28,
                Packets.aaaa("v6.example", "2001:db8::1").withTtl(0xFFFFFFFFL)));

    DnsRecord r = m.answers().get(0);
    assertThat(r.type(), is(DnsRecord.AAAA));
    assertThat(r.ttl(), is(4294967295L));
    assertThat(r.address(), is(IpAddress.parse("2001:db8::1")));
    assertThrows(IllegalStateException.class, r::srvTarget);
    assertThrows(IllegalStateException.class, r::srvPriority);
    assertThrows(IllegalStateException.class, r::srvWeight);
    assertThrows(IllegalStateException.class, r::cnameTarget);
  }

  @Test
  void headerFlags() throws Exception {
    // Response, opcode 2 (STATUS), NXDOMAIN.
    byte[] msg =
        RawDns.header(0xFFFF, 0x8000 | (2 << 11) | 3, 1, 0, 0, 0)
            .name("x.example")
            .u16(1)
            .u16(3)
            .build();
    DnsMessage m = decode(msg);

    assertThat(m.id(), is(0xFFFF));
    assertThat(m.isResponse(), is(true));
    assertThat(m.opcode(), is(2));
    assertThat(m.rcode(), is(3));
    assertThat(m.questionClass(), is(3));
  }

  @Test
  void caseIsKeptButIgnoredInComparisons() throws Exception {
    DnsMessage m = decode(Packets.dnsQueryMessage(1, "WWW.Example.COM", 1));

    assertThat(m.questionName().presentation(), is("WWW.Example.COM."));
    assertThat(m.questionName(), is(name("www.example.com")));
  }

  /**
   * Compression as real servers write it: owner names pointing at the question, at a suffix inside
   * it, at another pointer, into SRV and NS rdata (glue).
   */
  @Test
  void compressedNames() throws Exception {
    RawDns m = RawDns.header(0x77, RawDns.FLAGS_RESPONSE, 1, 2, 1, 2);
    m.name("_http._tcp.example.com").u16(33).u16(1);
    int exampleCom = RawDns.QUESTION_OFFSET + 6 + 5; // past "\5_http\4_tcp"
    int firstOwner = m.position();
    m.pointer(RawDns.QUESTION_OFFSET)
        .u16(33)
        .u16(1)
        .u32(60)
        .u16(6 + 3 + 2)
        .u16(10)
        .u16(5)
        .u16(8080);
    int b1 = m.position();
    m.label("b1").pointer(exampleCom);
    int b1Suffix = b1 + 3;
    m.pointer(firstOwner)
        .u16(33)
        .u16(1)
        .u32(60)
        .u16(6 + 3 + 2)
        .u16(10)
        .u16(5)
        .u16(8443)
        .label("b2")
        .pointer(b1Suffix);
    m.pointer(exampleCom).u16(2).u16(1).u32(3600).u16(4 + 2);
    int ns1 = m.position();
    m.label("ns1").pointer(exampleCom);
    m.pointer(b1).u16(1).u16(1).u32(60).u16(4).bytes(10, 0, 0, 1);
    m.pointer(ns1).u16(1).u16(1).u32(60).u16(4).bytes(10, 0, 0, 53);

    DnsMessage d = decode(m.build());

    assertThat(d.questionName().presentation(), is("_http._tcp.example.com."));
    assertThat(
        strings(d.answers()),
        contains(
            "_http._tcp.example.com. 60 class 1 type 33 10 5 b1.example.com.:8080",
            "_http._tcp.example.com. 60 class 1 type 33 10 5 b2.example.com.:8443"));
    assertThat(strings(d.authorities()), contains("example.com. 3600 class 1 type 2"));
    assertThat(
        strings(d.additionals()),
        contains(
            "b1.example.com. 60 class 1 type 1 10.0.0.1",
            "ns1.example.com. 60 class 1 type 1 10.0.0.53"));
  }

  /** A name that is only a pointer to where an earlier name begins is that name's instance. */
  @Test
  void aNameThatIsOnlyAPointerToAnEarlierNameIsThatName() throws Exception {
    RawDns m = RawDns.header(1, RawDns.FLAGS_RESPONSE, 1, 3, 0, 0).name("www.example.com");
    m.u16(1).u16(1);
    int firstOwner = m.position();
    m.pointer(RawDns.QUESTION_OFFSET).u16(1).u16(1).u32(60).u16(4).bytes(10, 0, 0, 1);
    // A pointer to the first answer's pointer, and one into the middle of the question.
    m.pointer(firstOwner).u16(1).u16(1).u32(60).u16(4).bytes(10, 0, 0, 2);
    m.pointer(RawDns.QUESTION_OFFSET + 4).u16(1).u16(1).u32(60).u16(4).bytes(10, 0, 0, 3);

    DnsMessage d = decode(m.build());

    assertThat(d.answers().get(0).name(), sameInstance(d.questionName()));
    assertThat(d.answers().get(1).name(), sameInstance(d.questionName()));
    assertThat(d.answers().get(2).name(), is(name("example.com")));
    assertThat(d.answers().get(2).name().presentation(), is("example.com."));
  }

  @Test
  void pointerToRootByteOfEarlierName() throws Exception {
    RawDns m = RawDns.header(1, RawDns.FLAGS_RESPONSE, 1, 1, 0, 0).name("a");
    int root = m.position() - 1;
    m.u16(1).u16(1).pointer(root).u16(41).u16(512).u32(0).u16(0);

    assertThat(decode(m.build()).answers().get(0).name(), is(DnsName.root()));
  }

  @Test
  void decodesInsideALargerBufferWithOffsetsRelativeToTheMessage() throws Exception {
    byte[] frame =
        Packets.dnsResponse(
            "10.0.0.1", 5353, "10.0.0.53", 5, "a.example", 1, a("a.example", "10.0.0.9"));
    int[] range = new int[2];
    FrameDecoder.decode(
        frame,
        LinkTypes.ETHERNET,
        new FrameVisitor() {
          @Override
          public void tcp(
              long sh, long sl, int sp, long dh, long dl, int dp, int flags, long seq) {}

          @Override
          public void dns(
              long sh,
              long sl,
              int sp,
              long dh,
              long dl,
              int dp,
              byte[] f,
              int offset,
              int length) {
            range[0] = offset;
            range[1] = length;
          }
        },
        new DecodeStats());

    DnsMessage m = DnsMessage.decode(frame, range[0], range[1]);

    assertThat(range[0], is(14 + 20 + 8));
    assertThat(m.id(), is(5));
    assertThat(m.answers().get(0).address(), is(Packets.ip("10.0.0.9")));
  }

  @Test
  void aThousandAnswersChainedPointerToPointerDecode() throws Exception {
    RawDns m =
        RawDns.header(1, RawDns.FLAGS_RESPONSE, 1, 1000, 0, 0).name("a.example").u16(1).u16(1);
    int previousOwner = RawDns.QUESTION_OFFSET;
    for (int i = 0; i < 1000; i++) {
      int owner = m.position();
      m.pointer(previousOwner).u16(1).u16(1).u32(i).u16(4).bytes(10, 0, i >>> 8, i & 0xff);
      previousOwner = owner;
    }

    DnsMessage d = decode(m.build());

    assertThat(d.answerCount(), is(1000));
    assertThat(d.answers().get(999).name(), is(name("a.example")));
    assertThat(d.answers().get(999).address(), is(Packets.ip("10.0.3.231")));
  }

  @Test
  void trailingBytesAfterTheLastRecordAreIgnored() throws Exception {
    byte[] msg = RawDns.query(1, "a.example", 1).bytes(0, 0, 0).build();

    assertThat(decode(msg).questionName(), is(name("a.example")));
  }

  @Test
  void exceptionCarriesReasonAndOffset() {
    byte[] msg = RawDns.header(1, 0, 1, 0, 0, 0).label("ab").build();
    DnsDecodeException e = assertThrows(DnsDecodeException.class, () -> decode(msg));

    assertThat(e.reason(), is(Reason.TRUNCATED_NAME));
    assertThat(e.offset(), is(15));
    assertThat(e.getMessage().startsWith("TRUNCATED_NAME at offset 15"), is(true));
  }

  @Test
  void rangeOutsideTheBufferIsACallerBug() {
    assertThrows(IndexOutOfBoundsException.class, () -> DnsMessage.decode(new byte[20], 10, 11));
  }
}
