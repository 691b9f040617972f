package dev.connbal.snoop;

import java.util.Arrays;

/**
 * Cuts a capture stream (snoop, pcap or pcapng, told by its magic) into its units as the bytes
 * arrive: what every capture cut from the stream must begin with, and records. A live stream can
 * thus be written as a series of complete captures, each the stream's prefix followed by whole
 * records, which read one after the other give the records of the whole stream.
 *
 * <p>The prefix is the file header of snoop and pcap, and for pcapng the current section's header
 * and the interface descriptions it has had so far (a packet names its interface by its place among
 * them). A pcapng block's length is read in its section's byte order.
 *
 * <p>Only lengths are checked, against the largest record a reader takes. A stream that is not a
 * capture, or a length past that (damage in the stream), turns the rest of the stream into raw
 * units: nothing is lost, and the reader of the capture that holds them reports what is wrong. The
 * stream may then no longer be cut ({@link #cuttable}), nor once a pcapng Simple Packet Block has
 * come, which takes the time of the packet before it and so must stay in that packet's capture.
 */
public final class StreamFraming {
  private static final int SNOOP_RECORD_HEADER = 24;
  private static final int SNOOP_RECORD_LENGTH_AT = 8;
  private static final int PCAP_RECORD_HEADER = 16;
  private static final int PCAP_INCLUDED_AT = 8;
  private static final int PCAPNG_BLOCK_HEADER = 12;
  private static final int PCAPNG_LENGTH_AT = 4;
  private static final int PCAPNG_MAGIC_AT = 8;
  private static final int MAGIC_LENGTH = 4;
  private static final int SNOOP_SECONDS_AT = 16;
  private static final int PCAPNG_INTERFACE_OPTIONS_AT = 16;
  private static final int PCAPNG_PACKET_MIN = 32;
  private static final long MICROS = 1_000_000L;

  /** The largest record or block taken for one: a packet of the largest size, with its options. */
  static final int MAX_UNIT = RecordHeaderRules.MAX_ORIGINAL_LENGTH + (1 << 17);

  /** The time of a unit that has none: the prefix, raw bytes, a pcapng block of no packet. */
  public static final long NO_TIME = Long.MIN_VALUE;

  /** Where the units go. */
  public interface Units {
    /**
     * A unit of the stream: {@code prefix} when it is part of what every capture cut from the
     * stream begins with ({@link #prefix}, which already holds it), else a record (or, once the
     * stream is not framed, raw bytes), with its timestamp in microseconds or {@link #NO_TIME}.
     */
    void unit(byte[] bytes, int offset, int length, boolean prefix, long micros);
  }

  private enum Format {
    UNKNOWN,
    SNOOP,
    PCAP,
    PCAPNG,
    RAW
  }

  private final Units units;
  private Format format = Format.UNKNOWN;
  private boolean bigEndian = true;
  private boolean simplePackets;
  private boolean nanoseconds;

  /** The {@code if_tsresol} of each interface of the current pcapng section, in order. */
  private int[] resolutions = new int[0];

  private byte[] prefix = new byte[0];
  private byte[] buffer = new byte[1 << 16];
  private int start;
  private int end;

  public StreamFraming(Units units) {
    this.units = units;
  }

  /** Takes the next bytes of the stream, and hands on every unit they complete. */
  public void feed(byte[] bytes, int offset, int length) {
    append(bytes, offset, length);
    int need;
    while ((need = unitLength()) > 0 && end - start >= need) {
      boolean isPrefix = isPrefix();
      if (isPrefix) {
        addToPrefix(need);
      } else if (format == Format.PCAPNG && u32Type() == PcapngFileReader.BLOCK_SIMPLE_PACKET) {
        simplePackets = true;
      }
      units.unit(buffer, start, need, isPrefix, isPrefix ? NO_TIME : recordMicros(need));
      start += need;
    }
    if (format == Format.RAW && end > start) {
      units.unit(buffer, start, end - start, false, NO_TIME);
      start = end;
    }
  }

  /** Whether a capture may still end before the next record (see the class comment). */
  public boolean cuttable() {
    return format != Format.RAW && !simplePackets;
  }

  /** What every capture cut from the stream begins with, as of the units handed on. */
  public byte[] prefix() {
    return prefix.clone();
  }

  /** The bytes of the unit not yet complete: at the stream's end, a record cut short. */
  public byte[] pending() {
    return Arrays.copyOfRange(buffer, start, end);
  }

  /**
   * The length of the unit at the buffer's start, 0 when more bytes must come to tell; turns the
   * stream raw when it cannot be framed.
   */
  private int unitLength() {
    int available = end - start;
    switch (format) {
      case UNKNOWN -> {
        if (available < MAGIC_LENGTH) {
          return 0;
        }
        recognise();
        return unitLength();
      }
      case SNOOP -> {
        if (prefix.length == 0) {
          return SnoopFileReader.FILE_HEADER_LENGTH;
        }
        if (available < SNOOP_RECORD_HEADER) {
          return 0;
        }
        long length = BigEndian.u32(buffer, start + SNOOP_RECORD_LENGTH_AT);
        return checked(length, SNOOP_RECORD_HEADER);
      }
      case PCAP -> {
        if (prefix.length == 0) {
          return PcapFileReader.FILE_HEADER_LENGTH;
        }
        if (available < PCAP_RECORD_HEADER) {
          return 0;
        }
        long included = u32(start + PCAP_INCLUDED_AT);
        return checked(PCAP_RECORD_HEADER + included, PCAP_RECORD_HEADER);
      }
      case PCAPNG -> {
        if (available < PCAPNG_BLOCK_HEADER) {
          return 0;
        }
        if (BigEndian.i32(buffer, start) == PcapngBlockRules.SECTION_HEADER) {
          int magic = BigEndian.i32(buffer, start + PCAPNG_MAGIC_AT);
          if (magic == PcapngBlockRules.BYTE_ORDER_MAGIC) {
            bigEndian = true;
          } else if (Integer.reverseBytes(magic) == PcapngBlockRules.BYTE_ORDER_MAGIC) {
            bigEndian = false;
          } else {
            return raw();
          }
        }
        long length = u32(start + PCAPNG_LENGTH_AT);
        return length % 4 == 0 ? checked(length, PcapngBlockRules.MIN_BLOCK_LENGTH) : raw();
      }
      default -> {
        return 0;
      }
    }
  }

  private void recognise() {
    if (SnoopFileReader.matches(buffer, start, MAGIC_LENGTH)) {
      format = Format.SNOOP;
    } else if (PcapFileReader.matches(buffer, start, MAGIC_LENGTH)) {
      format = Format.PCAP;
      int magic = BigEndian.i32(buffer, start);
      bigEndian =
          magic == PcapFileReader.MAGIC_MICROSECONDS || magic == PcapFileReader.MAGIC_NANOSECONDS;
      nanoseconds =
          magic == PcapFileReader.MAGIC_NANOSECONDS
              || Integer.reverseBytes(magic) == PcapFileReader.MAGIC_NANOSECONDS;
    } else if (BigEndian.i32(buffer, start) == PcapngBlockRules.SECTION_HEADER) {
      format = Format.PCAPNG;
    } else {
      format = Format.RAW;
    }
  }

  private int checked(long length, int least) {
    return length >= least && length <= MAX_UNIT ? (int) length : raw();
  }

  private int raw() {
    format = Format.RAW;
    return 0;
  }

  private boolean isPrefix() {
    if (format != Format.PCAPNG) {
      return prefix.length == 0;
    }
    int type = u32Type();
    return type == PcapngBlockRules.SECTION_HEADER || type == PcapngFileReader.BLOCK_INTERFACE;
  }

  private int u32Type() {
    return (int) u32(start);
  }

  /** The time of the record of {@code length} bytes at the buffer's start, or {@link #NO_TIME}. */
  private long recordMicros(int length) {
    switch (format) {
      case SNOOP -> {
        return BigEndian.u32(buffer, start + SNOOP_SECONDS_AT) * MICROS
            + BigEndian.u32(buffer, start + SNOOP_SECONDS_AT + 4);
      }
      case PCAP -> {
        long fraction = u32(start + 4);
        return u32(start) * MICROS + (nanoseconds ? fraction / 1000 : fraction);
      }
      case PCAPNG -> {
        int type = u32Type();
        boolean obsolete = type == PcapngFileReader.BLOCK_PACKET;
        if ((!obsolete && type != PcapngFileReader.BLOCK_ENHANCED_PACKET)
            || length < PCAPNG_PACKET_MIN) {
          return NO_TIME;
        }
        long id =
            obsolete
                ? FileOrder.u16(buffer, start + 8, bigEndian)
                : FileOrder.u32(buffer, start + 8, bigEndian);
        if (id >= resolutions.length || resolutions[(int) id] < 0) {
          return NO_TIME;
        }
        long units = u32(start + 12) << 32 | u32(start + 16);
        int resolution = resolutions[(int) id];
        return PcapngFileReader.seconds(units, resolution) * MICROS
            + PcapngFileReader.microseconds(units, resolution);
      }
      default -> {
        return NO_TIME;
      }
    }
  }

  private void addToPrefix(int length) {
    boolean newSection = format == Format.PCAPNG && u32Type() == PcapngBlockRules.SECTION_HEADER;
    if (newSection) {
      resolutions = new int[0];
    } else if (format == Format.PCAPNG) {
      resolutions = Arrays.copyOf(resolutions, resolutions.length + 1);
      resolutions[resolutions.length - 1] =
          PcapngFileReader.timeResolution(
              buffer, start + PCAPNG_INTERFACE_OPTIONS_AT, start + length - 4, bigEndian);
    }
    int kept = newSection ? 0 : prefix.length;
    byte[] grown = Arrays.copyOf(prefix, kept + length);
    System.arraycopy(buffer, start, grown, kept, length);
    prefix = grown;
  }

  private long u32(int at) {
    long v = BigEndian.u32(buffer, at);
    return bigEndian ? v : Integer.toUnsignedLong(Integer.reverseBytes((int) v));
  }

  private void append(byte[] bytes, int offset, int length) {
    if (end + length > buffer.length) {
      int kept = end - start;
      byte[] target =
          kept + length > buffer.length
              ? new byte[Math.max(buffer.length * 2, kept + length)]
              : buffer;
      System.arraycopy(buffer, start, target, 0, kept);
      buffer = target;
      start = 0;
      end = kept;
    }
    System.arraycopy(bytes, offset, buffer, end, length);
    end += length;
  }
}
