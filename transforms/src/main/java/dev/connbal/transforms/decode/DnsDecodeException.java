package dev.connbal.transforms.decode;

/**
 * A DNS message that connbal cannot or will not decode, with the {@link Reason}.
 *
 * <p>Malformed DNS is an expected outcome on captured traffic, not a bug, so this exception carries
 * no stack trace (it is cheap to throw).
 */
public final class DnsDecodeException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a message was rejected. */
  public enum Reason {
    /** Fewer than the 12 bytes of a DNS header. */
    SHORTER_THAN_HEADER,
    /** QDCOUNT > 1: no DNS server sends these, connbal cannot match them to one query. */
    TOO_MANY_QUESTIONS,
    /** QDCOUNT = 0: nothing to match the message to. */
    NO_QUESTION,
    /** ANCOUNT > 1000. */
    TOO_MANY_ANSWERS,
    /** A name runs past the end of the message. */
    TRUNCATED_NAME,
    /**
     * A compression pointer to outside the message, into the header, or to an offset where no
     * earlier name has a label (e.g. the middle of a label or of a record's fixed fields).
     */
    POINTER_OUT_OF_RANGE,
    /** A compression pointer back into the name that contains it (itself included). */
    POINTER_LOOP,
    /**
     * A compression pointer to a later offset than its own. Compression only ever refers back to
     * names already written, and every pointer loop of two or more pointers needs one of these, so
     * loops that are not {@link #POINTER_LOOP} are reported here.
     */
    FORWARD_POINTER,
    /**
     * A label length byte of 64..127 (type bits 01): longer than the 63 bytes a label may hold.
     * (RFC 6891 retired the extended label types once encoded this way.)
     */
    LABEL_TOO_LONG,
    /** A name longer than 255 bytes in wire form. */
    NAME_TOO_LONG,
    /** A label length byte of 128..191: label type bits 10, never assigned. */
    RESERVED_LABEL_TYPE,
    /** Counts larger than the records present, or a record (fixed part or rdata) past the end. */
    TRUNCATED_RECORD,
    /**
     * Rdata that does not fit its type: A not 4 bytes, SRV shorter than 7 bytes, a name in rdata
     * (CNAME, SRV, NS, MX, SOA, ...) running past the rdata or not filling it as the type says.
     */
    BAD_RDATA
  }

  private final Reason reason;
  private final int offset;

  DnsDecodeException(Reason reason, int offset, String detail) {
    super(reason + " at offset " + offset + ": " + detail, null, false, false);
    this.reason = reason;
    this.offset = offset;
  }

  public Reason reason() {
    return reason;
  }

  /** Offset within the DNS message where the problem was found. */
  public int offset() {
    return offset;
  }
}
