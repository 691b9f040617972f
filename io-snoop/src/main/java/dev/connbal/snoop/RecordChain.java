package dev.connbal.snoop;

import java.io.IOException;

/**
 * Proves record boundaries in a stream of records that carry no marker, from a format's {@link
 * ChainRules} alone: one definition of "proven" and "certified" for every format.
 *
 * <p>A position is <em>proven</em> when its header and the {@value #CHAIN_PROOF_LENGTH} headers
 * that follow it by record length all pass the rules (and each record the data holds whole is
 * {@linkplain ChainRules#closes closed} by its last bytes), or when that chain reaches the end of
 * the data first (exactly, or inside a final truncated record). A corrupt region runs to the first
 * proven position after its start.
 *
 * <p>With {@code W} the maximum record length, a position {@code p} is <em>certified</em> when
 *
 * <ol>
 *   <li>{@code p} is proven;
 *   <li>no position {@code z} in {@code [p - W, p)} holds a valid header whose record would end
 *       after {@code p} ({@code z + recordLength > p}): nothing nearby "jumps over" {@code p};
 *   <li>some position in {@code [p - W, p)} holds an invalid header.
 * </ol>
 *
 * <p><b>Why a certified position lies on the sequential path</b> (the record starts and corrupt
 * region starts of a read from the first record, each item starting where the previous ended). Let
 * {@code q} be the last path point before {@code p}. If {@code q >= p - W}, the path's step from
 * {@code q} (a record end, or the first proven position after a corrupt header) cannot jump over
 * {@code p} by (2) and (1), nor can any later step from a position before {@code p}, so the path
 * reaches {@code p} exactly. If {@code q < p - W}, the item at {@code q} is longer than any record,
 * so it is a corrupt region ending at the first proven position after {@code q}; an invalid
 * position {@code z > q} of (3) has no proven position in {@code (q, z]}, and since {@code p} is
 * proven, that region ends at {@code p} or before; by (2) nothing between it and {@code p} jumps
 * over {@code p} either.
 *
 * <p><b>Why it works against look-alike headers.</b> Frame bytes can hold valid headers, and a
 * whole capture carried inside packets forms a chain of them that may run into the real chain where
 * the packet ends; such positions are proven. But a position strictly inside a record is never
 * certified: that record's own header lies less than {@code W} before it and jumps over it.
 *
 * <p>Certification is a property of a position and the bytes around it, not of where a search
 * started, so the first certified position at or after {@code x} is a monotonic function of {@code
 * x} that two readers compute alike.
 */
final class RecordChain {
  static final int CHAIN_PROOF_LENGTH = 8;

  private final SnoopInput in;
  private final ChainRules rules;
  private final long dataStart;

  /** How many bytes a scan for valid headers asks the input for at a time. */
  private final int scanChunk;

  /**
   * @param dataStart where the first record starts; no scan looks before it
   */
  RecordChain(SnoopInput in, ChainRules rules, long dataStart, int scanChunk) {
    this.in = in;
    this.rules = rules;
    this.dataStart = dataStart;
    this.scanChunk = scanChunk;
  }

  /** The buffer a proof needs: the chain of a candidate, with its headers. */
  static long bufferNeeded(ChainRules rules) {
    return (long) (CHAIN_PROOF_LENGTH + 2) * rules.maxRecordLength() + rules.headerLength();
  }

  ChainRules rules() {
    return rules;
  }

  /**
   * Whether the record at {@code pos}, valid by {@code r}, is closed or cut by the data end. Keeps
   * the window at {@code anchor}, where the caller's proof started: a plain channel cannot go back.
   */
  private boolean closedOrCut(ChainRules r, long anchor, long pos, int length) throws IOException {
    int reach = (int) (pos - anchor) + length;
    if (length <= r.headerLength() || in.ensure(anchor, reach) < reach) {
      return true;
    }
    return r.closes(in.array(), in.index(pos), length);
  }

  /** The first proven position at or after {@code from}, or the end of the data. */
  long firstProvenAtOrAfter(long from) throws IOException {
    int header = rules.headerLength();
    long p = from;
    while (true) {
      int avail = in.ensure(p, scanChunk);
      if (avail < header) {
        return p + avail;
      }
      byte[] b = in.array();
      int base = in.index(p);
      int last = avail - header;
      long resumeAt = -1;
      for (int k = 0; k <= last; k++) {
        if (rules.isValid(b, base + k)) {
          long candidate = p + k;
          if (isProven(candidate)) {
            return candidate;
          }
          // The proof may have moved the window: continue from a fresh one.
          resumeAt = candidate + 1;
          break;
        }
      }
      p = resumeAt >= 0 ? resumeAt : p + last + 1;
    }
  }

  /** Whether the valid header at {@code candidate} starts a proving chain. */
  boolean isProven(long candidate) throws IOException {
    ChainRules r = rules;
    long q = candidate;
    for (int hop = 0; hop <= CHAIN_PROOF_LENGTH; hop++) {
      int reach = (int) (q - candidate) + r.headerLength();
      if (in.ensure(candidate, reach) < reach) {
        return true; // the data ends at q, inside the previous record or inside this header
      }
      byte[] b = in.array();
      int i = in.index(q);
      if (!r.isValid(b, i)) {
        return false;
      }
      int length = r.recordLength(b, i);
      ChainRules next = r.next(b, i);
      if (!closedOrCut(r, candidate, q, length)) {
        return false;
      }
      r = next;
      q += length;
    }
    return true;
  }

  /**
   * The first certified position at or after {@code x}, or the end of the data. Reads forward only,
   * from {@code x - maxRecordLength}.
   */
  long firstCertifiedAtOrAfter(long x) throws IOException {
    int window = rules.maxRecordLength();
    int header = rules.headerLength();
    long reach = 0; // furthest end of a record whose valid header lies in the window before p
    long lastInvalid = -1; // last position in the window whose header is not valid
    long p = Math.max(dataStart, x - window);
    while (true) {
      int avail = in.ensure(p, scanChunk);
      if (avail == 0) {
        return p; // the end of the data
      }
      byte[] b = in.array();
      int base = in.index(p);
      int usable = Math.max(1, avail - header + 1);
      for (int k = 0; k < usable; k++, base++) {
        long pos = p + k;
        boolean valid = k + header <= avail && rules.isValid(b, base);
        if (pos >= x && valid && reach <= pos && lastInvalid >= pos - window) {
          long end = pos + rules.recordLength(b, base);
          if (isProven(pos)) {
            return pos;
          }
          // The proof may have moved the window: continue from a fresh one.
          reach = Math.max(reach, end);
          p = pos + 1;
          break;
        }
        if (valid) {
          reach = Math.max(reach, pos + rules.recordLength(b, base));
        } else {
          lastInvalid = pos;
        }
        if (k == usable - 1) {
          p = pos + 1;
        }
      }
    }
  }
}
