package dev.connbal.transforms.decode;

import java.util.List;

/**
 * A decoded DNS message with exactly one question: header fields, the question, and the records of
 * the three sections in wire order. Immutable.
 *
 * <p>Decoding is strict and bounded: every read is length-checked, compression pointers must point
 * back to a label of an earlier name, and the work is linear in the message length, so hostile
 * messages cost no more than honest ones of the same size.
 */
public final class DnsMessage {
  /**
   * The port of DNS servers (RFC 1035, 4.2.1): a query goes to it, a response comes from it; a UDP
   * datagram from or to it is decoded as DNS.
   */
  public static final int PORT = 53;

  private final int id;
  private final int flags;
  private final DnsName questionName;
  private final int questionType;
  private final int questionClass;
  private final List<DnsRecord> answers;
  private final List<DnsRecord> authorities;
  private final List<DnsRecord> additionals;

  DnsMessage(
      int id,
      int flags,
      DnsName questionName,
      int questionType,
      int questionClass,
      List<DnsRecord> answers,
      List<DnsRecord> authorities,
      List<DnsRecord> additionals) {
    this.id = id;
    this.flags = flags;
    this.questionName = questionName;
    this.questionType = questionType;
    this.questionClass = questionClass;
    this.answers = List.copyOf(answers);
    this.authorities = List.copyOf(authorities);
    this.additionals = List.copyOf(additionals);
  }

  /**
   * Decodes the DNS message in {@code buf[offset, offset + length)}.
   *
   * @throws DnsDecodeException for every malformed or unsupported message (QDCOUNT other than 1,
   *     ANCOUNT over 1000, see {@link DnsDecodeException.Reason}); no other exception escapes for
   *     any content of the bytes
   * @throws IndexOutOfBoundsException if the range is not inside {@code buf} (a caller bug)
   */
  public static DnsMessage decode(byte[] buf, int offset, int length) throws DnsDecodeException {
    return new DnsMessageReader(null).decode(buf, offset, length);
  }

  /** Message ID. */
  public int id() {
    return id;
  }

  /** QR bit. */
  public boolean isResponse() {
    return (flags & 0x8000) != 0;
  }

  /** TC bit: the message was cut to fit a UDP datagram; the client asks again over TCP. */
  public boolean isTruncated() {
    return (flags & 0x0200) != 0;
  }

  /** OPCODE (0 = standard query). */
  public int opcode() {
    return (flags >>> 11) & 0xf;
  }

  /** RCODE from the header (the low 4 bits; EDNS extended bits are not applied). */
  public int rcode() {
    return flags & 0xf;
  }

  /** Always 1: messages with another QDCOUNT do not decode. */
  public int questionCount() {
    return 1;
  }

  public int answerCount() {
    return answers.size();
  }

  public int authorityCount() {
    return authorities.size();
  }

  public int additionalCount() {
    return additionals.size();
  }

  public DnsName questionName() {
    return questionName;
  }

  public int questionType() {
    return questionType;
  }

  public int questionClass() {
    return questionClass;
  }

  /** Answer section records in wire order. */
  public List<DnsRecord> answers() {
    return answers;
  }

  /** Authority section records in wire order. */
  public List<DnsRecord> authorities() {
    return authorities;
  }

  /** Additional section records in wire order (including any OPT pseudo-record). */
  public List<DnsRecord> additionals() {
    return additionals;
  }

  @Override
  public String toString() {
    return "DnsMessage{id="
        + id
        + (isResponse() ? ", response" : ", query")
        + ", opcode="
        + opcode()
        + ", rcode="
        + rcode()
        + ", question="
        + questionName
        + " type "
        + questionType
        + " class "
        + questionClass
        + ", answers="
        + answers
        + ", authorities="
        + authorities
        + ", additionals="
        + additionals
        + "}";
  }
}
