package dev.connbal.transforms.decode;

import static dev.connbal.transforms.decode.DnsMessageTest.decode;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.connbal.transforms.decode.DnsDecodeException.Reason;
import dev.connbal.transforms.testing.Packets;
import dev.connbal.transforms.testing.RawDns;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Messages an attacker or a broken stack would send: each fails with its own reason. */
class HostileDnsTest {
  private static final int TXT = 16;

  private static Reason reason(byte[] message) {
    return assertThrows(DnsDecodeException.class, () -> decode(message)).reason();
  }

  private static RawDns oneQuestionHeader() {
    return RawDns.header(1, RawDns.FLAGS_QUERY, 1, 0, 0, 0);
  }

  private static RawDns responseHeader(int answers) {
    return RawDns.header(1, RawDns.FLAGS_RESPONSE, 1, answers, 0, 0);
  }

  private static byte[] setU16(byte[] message, int offset, int value) {
    byte[] copy = message.clone();
    copy[offset] = (byte) (value >>> 8);
    copy[offset + 1] = (byte) value;
    return copy;
  }

  @Test
  void labelsWithControlBytesDotsBackslashesAndHighBytesAreEscaped() throws Exception {
    byte[] msg =
        oneQuestionHeader()
            .label(new byte[] {'a', '\t', 'b'})
            .label(new byte[] {'\n'})
            .label(new byte[] {'\r', 0})
            .label(new byte[] {'.'})
            .label(new byte[] {'\\'})
            .label(new byte[] {(byte) 0x80, (byte) 0xff, 0x7f})
            .label(new byte[] {' ', '"', '~', '!'})
            .root()
            .u16(1)
            .u16(1)
            .build();

    String p = decode(msg).questionName().presentation();

    assertThat(p, is("a\\009b.\\010.\\013\\000.\\..\\\\.\\128\\255\\127.\\032\"~!."));
    assertThat(DnsName.fromPresentation(p).presentation(), is(p));
  }

  @Test
  void pointerToItself() {
    assertThat(
        reason(oneQuestionHeader().pointer(12).u16(1).u16(1).build()), is(Reason.POINTER_LOOP));
  }

  @Test
  void pointerBackIntoItsOwnName() {
    assertThat(
        reason(oneQuestionHeader().label("a").label("b").pointer(14).u16(1).u16(1).build()),
        is(Reason.POINTER_LOOP));
  }

  @Test
  void loopOfTwoPointersFailsAtItsForwardPointer() {
    // 12: -> 14, 14: -> 12. One pointer of any loop must go forward; that one is rejected.
    assertThat(
        reason(oneQuestionHeader().pointer(14).pointer(12).u16(1).u16(1).build()),
        is(Reason.FORWARD_POINTER));
  }

  @Test
  void loopOfTwoHiddenInOpaqueRdataCannotBeEntered() {
    RawDns m = responseHeader(2).name("x").u16(1).u16(1);
    m.pointer(12).u16(TXT).u16(1).u32(60).u16(4);
    int loop = m.position();
    m.pointer(loop + 2).pointer(loop); // inside TXT rdata: never decoded as names
    m.pointer(loop + 2).u16(1).u16(1).u32(60).u16(4).bytes(1, 2, 3, 4);

    assertThat(reason(m.build()), is(Reason.POINTER_OUT_OF_RANGE));
  }

  @Test
  void pointerPastTheEnd() {
    assertThat(
        reason(oneQuestionHeader().pointer(0x3fff).u16(1).u16(1).build()),
        is(Reason.POINTER_OUT_OF_RANGE));
    // 12: "\1a", 14: pointer, 16: type and class; 20 bytes, so offset 20 is one past the end.
    assertThat(
        reason(oneQuestionHeader().label("a").pointer(20).u16(1).u16(1).build()),
        is(Reason.POINTER_OUT_OF_RANGE));
  }

  @Test
  void pointerIntoTheHeader() {
    assertThat(
        reason(oneQuestionHeader().pointer(4).u16(1).u16(1).build()),
        is(Reason.POINTER_OUT_OF_RANGE));
  }

  @Test
  void pointerOutsideTheMessageEvenIfTheBufferGoesOn() {
    byte[] msg = oneQuestionHeader().label("a").pointer(40).u16(1).u16(1).build();
    byte[] buffer = Arrays.copyOf(msg, 100);
    Reason r =
        assertThrows(DnsDecodeException.class, () -> DnsMessage.decode(buffer, 0, msg.length))
            .reason();

    assertThat(r, is(Reason.POINTER_OUT_OF_RANGE));
  }

  @Test
  void forwardPointer() {
    RawDns m = responseHeader(1).label("www").pointer(24).u16(1).u16(1);
    m.name("example").u16(1).u16(1).u32(60).u16(4).bytes(1, 2, 3, 4);

    assertThat(reason(m.build()), is(Reason.FORWARD_POINTER));
  }

  @Test
  void pointerIntoTheMiddleOfALabel() {
    // "\3www\7example\3com\0" at 12: offset 13 is the 'w' inside the first label.
    RawDns m = responseHeader(1).name("www.example.com").u16(1).u16(1);
    m.pointer(13).u16(1).u16(1).u32(60).u16(4).bytes(1, 2, 3, 4);

    assertThat(reason(m.build()), is(Reason.POINTER_OUT_OF_RANGE));
  }

  @Test
  void pointerIntoTheFixedFieldsOfARecord() {
    RawDns m = responseHeader(2).name("a").u16(1).u16(1);
    int firstRecord = m.position();
    m.pointer(12).u16(1).u16(1).u32(60).u16(4).bytes(1, 2, 3, 4);
    m.pointer(firstRecord + 2).u16(1).u16(1).u32(60).u16(4).bytes(1, 2, 3, 4);

    assertThat(reason(m.build()), is(Reason.POINTER_OUT_OF_RANGE));
  }

  @Test
  void labelLongerThan63() {
    byte[] label64 = new byte[64];
    Arrays.fill(label64, (byte) 'x');
    assertThat(
        reason(oneQuestionHeader().label(label64).root().u16(1).u16(1).build()),
        is(Reason.LABEL_TOO_LONG));
    assertThat(reason(oneQuestionHeader().u8(127).build()), is(Reason.LABEL_TOO_LONG));
  }

  @Test
  void reservedLabelTypes() {
    assertThat(
        reason(oneQuestionHeader().u8(0x80).bytes(new byte[200]).build()),
        is(Reason.RESERVED_LABEL_TYPE));
    assertThat(
        reason(oneQuestionHeader().u8(0xbf).bytes(new byte[200]).build()),
        is(Reason.RESERVED_LABEL_TYPE));
  }

  @Test
  void nameOf255BytesDecodesAndLongerDoesNot() throws Exception {
    byte[] l63 = new byte[63];
    Arrays.fill(l63, (byte) 'a');
    byte[] l61 = Arrays.copyOf(l63, 61);
    // 3 * (1 + 63) + (1 + 61) + 1 = 255.
    byte[] max =
        oneQuestionHeader()
            .label(l63)
            .label(l63)
            .label(l63)
            .label(l61)
            .root()
            .u16(1)
            .u16(1)
            .build();
    assertThat(decode(max).questionName().presentation().length(), is(63 * 3 + 61 + 4));

    byte[] l62 = Arrays.copyOf(l63, 62);
    assertThat(
        reason(
            oneQuestionHeader()
                .label(l63)
                .label(l63)
                .label(l63)
                .label(l62)
                .root()
                .u16(1)
                .u16(1)
                .build()),
        is(Reason.NAME_TOO_LONG));
    assertThat(
        reason(
            oneQuestionHeader()
                .label(l63)
                .label(l63)
                .label(l63)
                .label(l63)
                .label(l63)
                .root()
                .u16(1)
                .u16(1)
                .build()),
        is(Reason.NAME_TOO_LONG));
  }

  @Test
  void nameTooLongThroughAPointer() {
    byte[] l63 = new byte[63];
    Arrays.fill(l63, (byte) 'a');
    byte[] l61 = Arrays.copyOf(l63, 61);
    RawDns m = responseHeader(1).label(l63).label(l63).label(l63).label(l61).root().u16(1).u16(1);
    m.label("b").pointer(12).u16(1).u16(1).u32(60).u16(4).bytes(1, 2, 3, 4);

    assertThat(reason(m.build()), is(Reason.NAME_TOO_LONG));
  }

  @Test
  void answerCountLargerThanTheRecordsPresent() {
    byte[] msg = Packets.dnsResponseMessage(1, "a.example", 1, Packets.a("a.example", "1.2.3.4"));
    assertThat(reason(setU16(msg, 6, 2)), is(Reason.TRUNCATED_RECORD));
    assertThat(reason(setU16(msg, 10, 1)), is(Reason.TRUNCATED_RECORD));
  }

  @Test
  void rdataRunningPastTheEnd() {
    byte[] msg = Packets.dnsResponseMessage(1, "a.example", 1, Packets.a("a.example", "1.2.3.4"));
    assertThat(reason(Arrays.copyOf(msg, msg.length - 1)), is(Reason.TRUNCATED_RECORD));
    // RDLENGTH is the 2 bytes before the 4 address bytes.
    assertThat(reason(setU16(msg, msg.length - 6, 5)), is(Reason.TRUNCATED_RECORD));
  }

  @Test
  void recordFieldsCutShort() {
    byte[] msg = Packets.dnsResponseMessage(1, "a.example", 1, Packets.a("a.example", "1.2.3.4"));
    // Cut inside TYPE/CLASS/TTL/RDLENGTH of the answer.
    assertThat(reason(Arrays.copyOf(msg, msg.length - 8)), is(Reason.TRUNCATED_RECORD));
  }

  @Test
  void questionCutShort() {
    assertThat(reason(oneQuestionHeader().label("ab").build()), is(Reason.TRUNCATED_NAME));
    assertThat(
        reason(oneQuestionHeader().label("ab").u8(3).bytes('x', 'y').build()),
        is(Reason.TRUNCATED_NAME));
    assertThat(reason(oneQuestionHeader().label("ab").u8(0xc0).build()), is(Reason.TRUNCATED_NAME));
    assertThat(
        reason(oneQuestionHeader().name("ab").u16(1).u8(0).build()), is(Reason.TRUNCATED_RECORD));
  }

  @Test
  void moreThanOneQuestion() {
    byte[] msg = Packets.dnsQueryMessage(1, "a.example", 1);
    assertThat(reason(setU16(msg, 4, 2)), is(Reason.TOO_MANY_QUESTIONS));
    assertThat(reason(setU16(msg, 4, 0xffff)), is(Reason.TOO_MANY_QUESTIONS));
  }

  @Test
  void noQuestion() {
    assertThat(
        reason(RawDns.header(1, RawDns.FLAGS_RESPONSE, 0, 0, 0, 0).build()),
        is(Reason.NO_QUESTION));
  }

  @Test
  void moreThanAThousandAnswers() {
    byte[] msg = Packets.dnsResponseMessage(1, "a.example", 1, Packets.a("a.example", "1.2.3.4"));
    assertThat(reason(setU16(msg, 6, 1001)), is(Reason.TOO_MANY_ANSWERS));
    assertThat(reason(setU16(msg, 6, 0xffff)), is(Reason.TOO_MANY_ANSWERS));
  }

  @Test
  void shorterThanTheHeader() {
    byte[] msg = Packets.dnsQueryMessage(1, "a.example", 1);
    for (int length = 0; length < 12; length++) {
      assertThat(reason(Arrays.copyOf(msg, length)), is(Reason.SHORTER_THAN_HEADER));
    }
  }

  @Test
  void aRdataNotFourBytes() {
    assertThat(
        reason(
            responseHeader(1)
                .name("a")
                .u16(1)
                .u16(1)
                .pointer(12)
                .u16(1)
                .u16(1)
                .u32(60)
                .u16(5)
                .bytes(1, 2, 3, 4, 5)
                .build()),
        is(Reason.BAD_RDATA));
    assertThat(
        reason(
            responseHeader(1)
                .name("a")
                .u16(1)
                .u16(1)
                .pointer(12)
                .u16(1)
                .u16(1)
                .u32(60)
                .u16(0)
                .build()),
        is(Reason.BAD_RDATA));
  }

  @Test
  void srvTooShort() {
    assertThat(
        reason(
            responseHeader(1)
                .name("a")
                .u16(33)
                .u16(1)
                .pointer(12)
                .u16(33)
                .u16(1)
                .u32(60)
                .u16(6)
                .u16(0)
                .u16(0)
                .u16(80)
                .build()),
        is(Reason.BAD_RDATA));
  }

  /**
   * SRV rdata that ends inside PRIORITY, WEIGHT or PORT: the decoder reads them only after checking
   * that the rdata holds them and a target, so an RDLENGTH too short for them fails as BAD_RDATA at
   * the rdata's start, and a message that ends inside them as TRUNCATED_RECORD; neither reads past.
   */
  @Test
  void srvRdataEndingInsideItsPriorityWeightOrPort() {
    byte[] fixedFields = {0, 10, 0, 60, 0x01, (byte) 0xbb}; // priority 10, weight 60, port 443
    // header 12, question "\1a\0" 3 and type and class 4, answer owner pointer 2 and fields 10
    int rdataStart = 12 + 3 + 4 + 2 + 10;
    for (int length = 0; length < fixedFields.length; length++) {
      byte[] rdata = Arrays.copyOf(fixedFields, length);
      byte[] shortRdata =
          responseHeader(1)
              .name("a")
              .u16(33)
              .u16(1)
              .pointer(12)
              .u16(33)
              .u16(1)
              .u32(60)
              .u16(length)
              .bytes(rdata)
              .build();
      DnsDecodeException e =
          assertThrows(DnsDecodeException.class, () -> decode(shortRdata), "RDLENGTH " + length);
      assertThat(e.reason(), is(Reason.BAD_RDATA));
      assertThat(e.offset(), is(rdataStart));
      // RDLENGTH for the fields and the target "\1t\0", but the message ends inside the fields.
      byte[] cutShort =
          responseHeader(1)
              .name("a")
              .u16(33)
              .u16(1)
              .pointer(12)
              .u16(33)
              .u16(1)
              .u32(60)
              .u16(6 + 3)
              .bytes(rdata)
              .build();
      assertThat(
          "message ending after " + length + " rdata bytes",
          reason(cutShort),
          is(Reason.TRUNCATED_RECORD));
    }
  }

  @Test
  void srvTargetPastItsRdata() {
    assertThat(
        reason(
            responseHeader(1)
                .name("a")
                .u16(33)
                .u16(1)
                .pointer(12)
                .u16(33)
                .u16(1)
                .u32(60)
                .u16(8)
                .u16(0)
                .u16(0)
                .u16(80)
                .name("target")
                .build()),
        is(Reason.BAD_RDATA));
  }

  @Test
  void cnameNamePastItsRdata() {
    // RDLENGTH 3 covers "\3www" but not the rest of the name, which the message does hold.
    assertThat(
        reason(
            responseHeader(1)
                .name("a")
                .u16(1)
                .u16(1)
                .pointer(12)
                .u16(5)
                .u16(1)
                .u32(60)
                .u16(3)
                .name("www.example")
                .build()),
        is(Reason.BAD_RDATA));
  }

  @Test
  void cnameWithBytesAfterItsName() {
    assertThat(
        reason(
            responseHeader(1)
                .name("a")
                .u16(1)
                .u16(1)
                .pointer(12)
                .u16(5)
                .u16(1)
                .u32(60)
                .u16(4)
                .name("b")
                .u8(0)
                .build()),
        is(Reason.BAD_RDATA));
  }

  @Test
  void nameBearingRdataOfOtherTypesIsChecked() {
    // NS whose name runs past its rdata.
    assertThat(
        reason(
            responseHeader(1)
                .name("a")
                .u16(2)
                .u16(1)
                .pointer(12)
                .u16(2)
                .u16(1)
                .u32(60)
                .u16(2)
                .name("ns")
                .build()),
        is(Reason.BAD_RDATA));
    // SOA with 19 instead of 20 bytes of numbers.
    assertThat(
        reason(
            responseHeader(1)
                .name("a")
                .u16(6)
                .u16(1)
                .pointer(12)
                .u16(6)
                .u16(1)
                .u32(60)
                .u16(2 + 2 + 19)
                .pointer(12)
                .pointer(12)
                .bytes(new byte[19])
                .build()),
        is(Reason.BAD_RDATA));
    // MX with only a preference.
    assertThat(
        reason(
            responseHeader(1)
                .name("a")
                .u16(15)
                .u16(1)
                .pointer(12)
                .u16(15)
                .u16(1)
                .u32(60)
                .u16(2)
                .u16(10)
                .build()),
        is(Reason.BAD_RDATA));
    // A pointer loop inside NS rdata keeps its own reason.
    assertThat(
        reason(
            responseHeader(1)
                .name("a")
                .u16(2)
                .u16(1)
                .pointer(12)
                .u16(2)
                .u16(1)
                .u32(60)
                .u16(2)
                .pointer(31)
                .build()),
        is(Reason.POINTER_LOOP));
  }

  @Test
  void wellFormedSoaAndMxDecodeAndCanBePointedInto() throws Exception {
    RawDns m = RawDns.header(1, RawDns.FLAGS_RESPONSE, 1, 1, 1, 1).name("example").u16(15).u16(1);
    m.pointer(12).u16(15).u16(1).u32(60).u16(2 + 4 + 2).u16(10);
    int mx = m.position();
    m.label("mx1").pointer(12);
    m.pointer(12).u16(6).u16(1).u32(60).u16(6 + 8 + 20);
    m.label("ns1").pointer(12).label("admin").pointer(12).bytes(new byte[20]);
    m.pointer(mx).u16(1).u16(1).u32(60).u16(4).bytes(10, 0, 0, 25);

    DnsMessage d = decode(m.build());

    assertThat(d.additionals().get(0).name(), is(DnsName.fromPresentation("mx1.example.")));
    assertThat(d.authorities().get(0).type(), is(6));
  }
}
