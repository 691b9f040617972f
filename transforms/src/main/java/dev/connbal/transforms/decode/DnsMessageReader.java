package dev.connbal.transforms.decode;

import static dev.connbal.transforms.decode.DnsDecodeException.Reason.BAD_RDATA;
import static dev.connbal.transforms.decode.DnsDecodeException.Reason.FORWARD_POINTER;
import static dev.connbal.transforms.decode.DnsDecodeException.Reason.LABEL_TOO_LONG;
import static dev.connbal.transforms.decode.DnsDecodeException.Reason.NAME_TOO_LONG;
import static dev.connbal.transforms.decode.DnsDecodeException.Reason.NO_QUESTION;
import static dev.connbal.transforms.decode.DnsDecodeException.Reason.POINTER_LOOP;
import static dev.connbal.transforms.decode.DnsDecodeException.Reason.POINTER_OUT_OF_RANGE;
import static dev.connbal.transforms.decode.DnsDecodeException.Reason.RESERVED_LABEL_TYPE;
import static dev.connbal.transforms.decode.DnsDecodeException.Reason.SHORTER_THAN_HEADER;
import static dev.connbal.transforms.decode.DnsDecodeException.Reason.TOO_MANY_ANSWERS;
import static dev.connbal.transforms.decode.DnsDecodeException.Reason.TOO_MANY_QUESTIONS;
import static dev.connbal.transforms.decode.DnsDecodeException.Reason.TRUNCATED_NAME;
import static dev.connbal.transforms.decode.DnsDecodeException.Reason.TRUNCATED_RECORD;

import dev.connbal.snoop.BigEndian;
import dev.connbal.transforms.decode.DnsDecodeException.Reason;
import dev.connbal.transforms.keys.IpAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Decodes one DNS message (RFC 1035 4.1) for {@link DnsMessage#decode}: a cursor over the bytes
 * that checks the length before every read.
 *
 * <p>Name compression is accepted only in its honest form: a pointer must point to an offset before
 * itself (and before the name it is in) where an earlier, already decoded name had a label, a
 * pointer or its root byte. Each name remembers the suffix that starts at each of those offsets, so
 * following a pointer is one lookup and a copy of at most 255 bytes, never a walk: decoding is
 * linear in the message length whatever the pointers say, and loops cannot be expressed.
 *
 * <p>A reader decodes messages in turn ({@link #decode}), reusing its arrays; with a {@link
 * DnsNameCache} it takes each name from the cache instead of making a new one, so that a reading
 * loop makes no name it has already made recently.
 */
public final class DnsMessageReader {
  static final int HEADER_LENGTH = 12;
  static final int MAX_ANSWERS = 1000;

  /** TYPE, CLASS, TTL and RDLENGTH after a record's owner name. */
  private static final int RECORD_FIXED_LENGTH = 10;

  /** Smallest possible record: a 1-byte (root) owner name and the fixed fields. */
  private static final int MIN_RECORD_LENGTH = 1 + RECORD_FIXED_LENGTH;

  /** A name of at most 255 bytes has at most 127 labels, plus a root byte or a pointer. */
  private static final int MAX_NAME_PARTS = 128;

  // Record types whose rdata holds domain names that compressors write and point into.
  private static final int NS = 2;
  private static final int MD = 3;
  private static final int MF = 4;
  private static final int SOA = 6;
  private static final int MB = 7;
  private static final int MG = 8;
  private static final int MR = 9;
  private static final int PTR = 12;
  private static final int MINFO = 14;
  private static final int MX = 15;
  private static final int RP = 17;
  private static final int AFSDB = 18;
  private static final int RT = 21;
  private static final int KX = 36;
  private static final int DNAME = 39;
  private static final int RRSIG = 46;
  private static final int NSEC = 47;

  /** SOA rdata after its two names: SERIAL, REFRESH, RETRY, EXPIRE, MINIMUM. */
  private static final int SOA_NUMBERS_LENGTH = 20;

  /** RRSIG rdata before the signer's name. */
  private static final int RRSIG_FIXED_LENGTH = 18;

  /** SRV rdata before the target: PRIORITY, WEIGHT, PORT. */
  private static final int SRV_FIXED_LENGTH = 6;

  private final @Nullable DnsNameCache names;
  private byte[] buf;
  private int base;
  private int length;

  /**
   * For each message offset where a decoded name had a label, pointer or root byte: that name and
   * (in {@link #suffixWireOffset}) where the suffix starting there begins in its wire form. Only
   * the first {@link #length} entries belong to the message at hand.
   */
  private DnsName[] suffixName = new DnsName[0];

  private int[] suffixWireOffset = new int[0];
  private final byte[] nameScratch = new byte[DnsName.MAX_WIRE_LENGTH];
  private final int[] partOffsets = new int[MAX_NAME_PARTS];
  private final int[] partWireOffsets = new int[MAX_NAME_PARTS];
  private int pos;

  /**
   * A reader of messages in turn whose names come from {@code names}, or are made anew when it is
   * null.
   */
  public DnsMessageReader(@Nullable DnsNameCache names) {
    this.names = names;
  }

  /**
   * Decodes the DNS message in {@code buf[offset, offset + length)}, as {@link DnsMessage#decode}
   * does.
   */
  public DnsMessage decode(byte[] buf, int offset, int length) throws DnsDecodeException {
    Objects.checkFromIndexSize(offset, length, buf.length);
    this.buf = buf;
    this.base = offset;
    this.length = length;
    if (suffixName.length < length) {
      suffixName = new DnsName[length];
      suffixWireOffset = new int[length];
    } else {
      Arrays.fill(suffixName, 0, length, null);
    }
    return read();
  }

  private DnsMessage read() throws DnsDecodeException {
    if (length < HEADER_LENGTH) {
      throw fail(SHORTER_THAN_HEADER, 0, length + " bytes");
    }
    int id = u16(0);
    int flags = u16(2);
    int questions = u16(4);
    int answers = u16(6);
    int authorities = u16(8);
    int additionals = u16(10);
    if (questions > 1) {
      throw fail(TOO_MANY_QUESTIONS, 4, "QDCOUNT " + questions);
    }
    if (questions == 0) {
      throw fail(NO_QUESTION, 4, "QDCOUNT 0");
    }
    if (answers > MAX_ANSWERS) {
      throw fail(TOO_MANY_ANSWERS, 6, "ANCOUNT " + answers);
    }
    pos = HEADER_LENGTH;
    DnsName questionName = readName(length, TRUNCATED_NAME);
    if (length - pos < 4) {
      throw fail(TRUNCATED_RECORD, pos, "question type and class past the end");
    }
    int questionType = u16(pos);
    int questionClass = u16(pos + 2);
    pos += 4;
    List<DnsRecord> answerRecords = readSection(answers, "answer");
    List<DnsRecord> authorityRecords = readSection(authorities, "authority");
    List<DnsRecord> additionalRecords = readSection(additionals, "additional");
    return new DnsMessage(
        id,
        flags,
        questionName,
        questionType,
        questionClass,
        answerRecords,
        authorityRecords,
        additionalRecords);
  }

  private List<DnsRecord> readSection(int count, String section) throws DnsDecodeException {
    // Sized by what can fit, not by the count a hostile header claims.
    List<DnsRecord> records = new ArrayList<>(Math.min(count, (length - pos) / MIN_RECORD_LENGTH));
    for (int i = 0; i < count; i++) {
      if (pos >= length) {
        throw fail(
            TRUNCATED_RECORD, pos, section + " section holds " + i + " of " + count + " records");
      }
      records.add(readRecord());
    }
    return records;
  }

  private DnsRecord readRecord() throws DnsDecodeException {
    DnsName name = readName(length, TRUNCATED_NAME);
    if (length - pos < RECORD_FIXED_LENGTH) {
      throw fail(TRUNCATED_RECORD, pos, "record fields past the end");
    }
    int type = u16(pos);
    int dnsClass = u16(pos + 2);
    long ttl = u32(pos + 4);
    int rdataLength = u16(pos + 8);
    pos += RECORD_FIXED_LENGTH;
    if (rdataLength > length - pos) {
      throw fail(TRUNCATED_RECORD, pos, "rdata of " + rdataLength + " bytes past the end");
    }
    int rdataStart = pos;
    int rdataEnd = pos + rdataLength;
    DnsRecord record;
    switch (type) {
      case DnsRecord.A -> {
        if (rdataLength != 4) {
          throw fail(BAD_RDATA, rdataStart, "A rdata of " + rdataLength + " bytes");
        }
        record = DnsRecord.address(name, type, dnsClass, ttl, IpAddress.ofV4(i32(rdataStart)));
      }
      case DnsRecord.AAAA -> {
        if (rdataLength != 16) {
          throw fail(BAD_RDATA, rdataStart, "AAAA rdata of " + rdataLength + " bytes");
        }
        record =
            DnsRecord.address(
                name,
                type,
                dnsClass,
                ttl,
                IpAddress.of(longAt(rdataStart), longAt(rdataStart + Long.BYTES)));
      }
      case DnsRecord.SRV -> {
        // The fixed fields and at least the target's root byte: one check covers all three reads.
        if (rdataLength < SRV_FIXED_LENGTH + 1) {
          throw fail(BAD_RDATA, rdataStart, "SRV rdata of " + rdataLength + " bytes");
        }
        int priority = u16(rdataStart);
        int weight = u16(rdataStart + 2);
        int port = u16(rdataStart + 4);
        pos = rdataStart + SRV_FIXED_LENGTH;
        DnsName srvTarget = readRdataName(rdataEnd);
        requireRdataEnd(rdataEnd, "SRV");
        record = DnsRecord.srv(name, dnsClass, ttl, priority, weight, port, srvTarget);
      }
      case DnsRecord.CNAME -> {
        DnsName cnameTarget = readRdataName(rdataEnd);
        requireRdataEnd(rdataEnd, "CNAME");
        record = DnsRecord.cname(name, dnsClass, ttl, cnameTarget);
      }
      default -> {
        readOtherRdata(type, rdataStart, rdataEnd);
        record = DnsRecord.other(name, type, dnsClass, ttl);
      }
    }
    pos = rdataEnd;
    return record;
  }

  /**
   * Decodes the names in rdata of the types that carry them, so that later pointers to those names
   * resolve (glue A records commonly point into NS or MX rdata) and broken ones are caught.
   */
  private void readOtherRdata(int type, int rdataStart, int rdataEnd) throws DnsDecodeException {
    switch (type) {
      case NS, MD, MF, MB, MG, MR, PTR, DNAME -> {
        readRdataName(rdataEnd);
        requireRdataEnd(rdataEnd, "type " + type);
      }
      case SOA -> {
        readRdataName(rdataEnd);
        readRdataName(rdataEnd);
        if (rdataEnd - pos != SOA_NUMBERS_LENGTH) {
          throw fail(BAD_RDATA, pos, "SOA rdata with " + (rdataEnd - pos) + " bytes after names");
        }
      }
      case MINFO, RP -> {
        readRdataName(rdataEnd);
        readRdataName(rdataEnd);
        requireRdataEnd(rdataEnd, "type " + type);
      }
      case MX, AFSDB, RT, KX -> {
        pos = skipInRdata(rdataStart, 2, rdataEnd, type);
        readRdataName(rdataEnd);
        requireRdataEnd(rdataEnd, "type " + type);
      }
      case RRSIG -> {
        pos = skipInRdata(rdataStart, RRSIG_FIXED_LENGTH, rdataEnd, type);
        readRdataName(rdataEnd);
      }
      case NSEC -> readRdataName(rdataEnd);
      default -> {
        // Opaque rdata (AAAA, TXT, OPT, ...): nothing connbal reads, nothing to point into.
      }
    }
  }

  private int skipInRdata(int rdataStart, int skip, int rdataEnd, int type)
      throws DnsDecodeException {
    if (rdataEnd - rdataStart < skip + 1) {
      throw fail(
          BAD_RDATA,
          rdataStart,
          "type " + type + " rdata of " + (rdataEnd - rdataStart) + " bytes");
    }
    return rdataStart + skip;
  }

  private DnsName readRdataName(int rdataEnd) throws DnsDecodeException {
    return readName(rdataEnd, BAD_RDATA);
  }

  private void requireRdataEnd(int rdataEnd, String what) throws DnsDecodeException {
    if (pos != rdataEnd) {
      throw fail(BAD_RDATA, pos, what + " rdata has " + (rdataEnd - pos) + " bytes after its name");
    }
  }

  /**
   * Reads the (possibly compressed) name at {@link #pos}, whose own bytes must end before {@code
   * limit}, and moves {@link #pos} past them. A name running into {@code limit} fails with {@code
   * overrun}: TRUNCATED_NAME at the end of the message, BAD_RDATA at the end of rdata.
   */
  private DnsName readName(int limit, Reason overrun) throws DnsDecodeException {
    int start = pos;
    int p = pos;
    int wireLength = 0;
    int parts = 0;
    while (true) {
      if (p >= limit) {
        throw fail(overrun, p, "name starting at " + start + " runs past byte " + limit);
      }
      int b = u8(p);
      int labelType = b & 0xc0;
      if (labelType == 0x40) {
        throw fail(LABEL_TOO_LONG, p, "label length " + b);
      }
      if (labelType == 0x80) {
        throw fail(RESERVED_LABEL_TYPE, p, "label type byte " + b);
      }
      if (labelType == 0) {
        partOffsets[parts] = p;
        partWireOffsets[parts++] = wireLength;
        if (b == 0) {
          nameScratch[wireLength++] = 0;
          pos = p + 1;
          break;
        }
        if (b > limit - p - 1) {
          throw fail(overrun, p, "label of " + b + " bytes runs past byte " + limit);
        }
        if (wireLength + 1 + b + 1 > DnsName.MAX_WIRE_LENGTH) {
          throw fail(NAME_TOO_LONG, p, "name starting at " + start + " exceeds 255 bytes");
        }
        nameScratch[wireLength] = (byte) b;
        System.arraycopy(buf, base + p + 1, nameScratch, wireLength + 1, b);
        wireLength += 1 + b;
        p += 1 + b;
      } else {
        if (limit - p < 2) {
          throw fail(overrun, p, "compression pointer runs past byte " + limit);
        }
        int target = ((b & 0x3f) << 8) | u8(p + 1);
        if (target < HEADER_LENGTH || target >= length) {
          throw fail(POINTER_OUT_OF_RANGE, p, "pointer to " + target + " outside the records");
        }
        if (target > p) {
          throw fail(FORWARD_POINTER, p, "pointer to later offset " + target);
        }
        if (target >= start) {
          throw fail(POINTER_LOOP, p, "pointer to " + target + " inside its own name at " + start);
        }
        DnsName suffix = suffixName[target];
        if (suffix == null) {
          throw fail(
              POINTER_OUT_OF_RANGE,
              p,
              "pointer to " + target + ", where no earlier name has a label");
        }
        int from = suffixWireOffset[target];
        if (parts == 0 && from == 0) {
          // The whole name is a pointer to where an earlier name begins (answers pointing at the
          // question, as nearly all do): that name itself, not a copy, so that its hash is
          // computed once and equal names compare by identity downstream.
          suffixName[p] = suffix;
          suffixWireOffset[p] = 0;
          pos = p + 2;
          return suffix;
        }
        byte[] suffixWire = suffix.wire();
        int suffixLength = suffixWire.length - from;
        if (wireLength + suffixLength > DnsName.MAX_WIRE_LENGTH) {
          throw fail(NAME_TOO_LONG, p, "name starting at " + start + " exceeds 255 bytes");
        }
        partOffsets[parts] = p;
        partWireOffsets[parts++] = wireLength;
        System.arraycopy(suffixWire, from, nameScratch, wireLength, suffixLength);
        wireLength += suffixLength;
        pos = p + 2;
        break;
      }
    }
    DnsName name =
        names != null
            ? names.name(nameScratch, wireLength)
            : DnsName.ofValidatedWire(Arrays.copyOf(nameScratch, wireLength));
    for (int i = 0; i < parts; i++) {
      suffixName[partOffsets[i]] = name;
      suffixWireOffset[partOffsets[i]] = partWireOffsets[i];
    }
    return name;
  }

  private DnsDecodeException fail(Reason reason, int offset, String detail) {
    return new DnsDecodeException(reason, offset, detail);
  }

  private int u8(int at) {
    return buf[base + at] & 0xff;
  }

  private int u16(int at) {
    return BigEndian.u16(buf, base + at);
  }

  private int i32(int at) {
    return BigEndian.i32(buf, base + at);
  }

  private long longAt(int at) {
    return IpAddress.longAt(buf, base + at);
  }

  private long u32(int at) {
    return i32(at) & 0xffffffffL;
  }
}
