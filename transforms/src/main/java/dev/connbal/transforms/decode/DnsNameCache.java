package dev.connbal.transforms.decode;

import java.util.Arrays;

/**
 * The names recently decoded by one {@link DnsMessageReader}, one instance per exact spelling (same
 * bytes, same case), so that a name a range repeats in thousands of messages is made, and hashed,
 * once: its uncompressed wire form is compared with the cached name's bytes instead of copied into
 * a new {@link DnsName}.
 *
 * <p>Direct-mapped and of a fixed size, so its memory does not grow with the names a capture holds:
 * a name whose slot another name took is made anew and takes the slot. Names are immutable, so
 * sharing one instance between messages changes nothing but identity. Not thread-safe: one per
 * reading thread.
 */
public final class DnsNameCache {
  /** Slots; a power of two. A range's DNS traffic repeats far fewer distinct names. */
  static final int SLOTS = 4096;

  private final DnsName[] names = new DnsName[SLOTS];

  /**
   * The name whose uncompressed wire form is {@code wire[0, length)}, validated by the caller: the
   * cached instance of that spelling when there is one, otherwise a new name (which takes the
   * slot).
   */
  DnsName name(byte[] wire, int length) {
    int slot = DnsName.spellingHash(wire, length) & (SLOTS - 1);
    DnsName cached = names[slot];
    if (cached != null && cached.isSpelled(wire, length)) {
      return cached;
    }
    DnsName name = DnsName.ofValidatedWire(Arrays.copyOf(wire, length));
    names[slot] = name;
    return name;
  }
}
