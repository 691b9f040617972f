package dev.connbal.bench;

import java.nio.charset.StandardCharsets;

/**
 * Assembles DNS messages in wire format into one reused buffer, the way a stub resolver and a
 * recursive server write them: one question, EDNS OPT in the additional section, answer owners
 * compressed to the question name, additional A owners compressed to the SRV target they describe,
 * and CNAME'd A owners compressed to the CNAME target.
 *
 * <p>Usage: {@link #response}, then records in section order, each section's count given to {@code
 * response} up front; {@link #length()} bytes of {@link #buffer()} are the message.
 */
final class DnsWire {
  static final int TYPE_A = 1;
  static final int TYPE_NS = 2;
  static final int TYPE_CNAME = 5;
  static final int TYPE_AAAA = 28;
  static final int TYPE_SRV = 33;
  static final int TYPE_OPT = 41;
  static final int CLASS_IN = 1;

  /** Offset of the question name: right after the 12-byte header. */
  static final int QUESTION_NAME = 12;

  private static final int FLAGS_QUERY = 0x0100; // RD
  private static final int FLAGS_RESPONSE = 0x8180; // QR, RD, RA, NOERROR
  private static final int RCODE_NXDOMAIN = 3;
  private static final int TTL = 30;
  private static final int EDNS_UDP_SIZE = 1232;

  private final byte[] buf = new byte[1400];
  private int pos;

  /** The wire form of a presentation name ending in a dot (lower-case ASCII labels). */
  static byte[] encodeName(String name) {
    if (!name.endsWith(".")) {
      throw new IllegalArgumentException("name must end with a dot: " + name);
    }
    byte[] text = name.getBytes(StandardCharsets.US_ASCII);
    byte[] wire = new byte[text.length + 1];
    int labelStart = 0;
    int out = 0;
    for (int i = 0; i < text.length; i++) {
      if (text[i] == '.') {
        int len = i - labelStart;
        if (len == 0 || len > 63) {
          throw new IllegalArgumentException("bad label in " + name);
        }
        wire[out++] = (byte) len;
        System.arraycopy(text, labelStart, wire, out, len);
        out += len;
        labelStart = i + 1;
      }
    }
    wire[out++] = 0;
    return java.util.Arrays.copyOf(wire, out);
  }

  /** The zone of an SRV name: "corp.example." for "_ldap._tcp.corp.example.". */
  static String srvZone(String srvName) {
    return srvName.substring(srvName.indexOf('.', srvName.indexOf('.') + 1) + 1);
  }

  byte[] buffer() {
    return buf;
  }

  int length() {
    return pos;
  }

  /** A query: header, the question, an OPT record. */
  DnsWire query(int id, byte[] name, int type) {
    header(id, FLAGS_QUERY, 0, 0, 1);
    question(name, type);
    opt();
    return this;
  }

  /**
   * Starts a NOERROR response to the question {@code name}/{@code type} with the given section
   * counts; the caller writes exactly that many records, then {@link #opt()} as the last additional
   * record (included in {@code additional}).
   */
  DnsWire response(int id, byte[] name, int type, int answers, int authority, int additional) {
    header(id, FLAGS_RESPONSE, answers, authority, additional);
    question(name, type);
    return this;
  }

  /** An NXDOMAIN response without records other than OPT. */
  DnsWire nxdomain(int id, byte[] name, int type) {
    header(id, FLAGS_RESPONSE | RCODE_NXDOMAIN, 0, 0, 1);
    question(name, type);
    opt();
    return this;
  }

  /** An A record owned by the name at {@code ownerOffset} (a compression pointer). */
  DnsWire a(int ownerOffset, int address) {
    pointer(ownerOffset);
    recordHeader(TYPE_A, 4);
    put32(address);
    return this;
  }

  /** An AAAA record owned by the question name: fd00::{@code host}. */
  DnsWire aaaa(int host) {
    pointer(QUESTION_NAME);
    recordHeader(TYPE_AAAA, 16);
    put16(0xfd00);
    for (int i = 0; i < 10; i++) {
      buf[pos++] = 0;
    }
    put32(host);
    return this;
  }

  /**
   * An SRV record owned by the question name; returns the offset of its target name, for the
   * additional A record to point to.
   */
  int srv(int port, byte[] target) {
    pointer(QUESTION_NAME);
    recordHeader(TYPE_SRV, 6 + target.length);
    put16(10); // priority
    put16(50); // weight
    put16(port);
    int targetOffset = pos;
    putBytes(target);
    return targetOffset;
  }

  /** A CNAME record owned by the question name; returns the offset of its target name. */
  int cname(byte[] target) {
    pointer(QUESTION_NAME);
    recordHeader(TYPE_CNAME, target.length);
    int targetOffset = pos;
    putBytes(target);
    return targetOffset;
  }

  /** An NS record in full (owner and server uncompressed), for the authority section. */
  DnsWire ns(byte[] zone, byte[] server) {
    putBytes(zone);
    recordHeader(TYPE_NS, server.length);
    putBytes(server);
    return this;
  }

  /** The EDNS(0) OPT pseudo-record: root owner, the UDP payload size as class. */
  DnsWire opt() {
    buf[pos++] = 0;
    put16(TYPE_OPT);
    put16(EDNS_UDP_SIZE);
    put32(0);
    put16(0);
    return this;
  }

  private void header(int id, int flags, int answers, int authority, int additional) {
    pos = 0;
    put16(id);
    put16(flags);
    put16(1);
    put16(answers);
    put16(authority);
    put16(additional);
  }

  private void question(byte[] name, int type) {
    putBytes(name);
    put16(type);
    put16(CLASS_IN);
  }

  private void recordHeader(int type, int rdLength) {
    put16(type);
    put16(CLASS_IN);
    put32(TTL);
    put16(rdLength);
  }

  private void pointer(int offset) {
    put16(0xc000 | offset);
  }

  private void putBytes(byte[] b) {
    System.arraycopy(b, 0, buf, pos, b.length);
    pos += b.length;
  }

  private void put16(int v) {
    FrameWriter.put16(buf, pos, v);
    pos += 2;
  }

  private void put32(int v) {
    FrameWriter.put32(buf, pos, v);
    pos += 4;
  }
}
