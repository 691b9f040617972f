package dev.connbal.transforms.output;

import java.util.Arrays;
import java.util.Comparator;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.net.InetAddresses;

/**
 * SEMANTICS.md's order of addresses: numeric, IPv4 before IPv6. Every document that lists clients
 * or backends sorts them by it.
 */
public final class AddressOrder {
  private AddressOrder() {}

  /** Compares two {@link #key}s. */
  public static final Comparator<byte[]> KEYS = Arrays::compareUnsigned;

  /** Compares addresses in their plain text form (each parsed on every call). */
  public static final Comparator<String> TEXT = Comparator.comparing(AddressOrder::key, KEYS);

  /**
   * A key that orders addresses as {@link #KEYS} compares them: the family's length, then the
   * address bytes.
   */
  public static byte[] key(String address) {
    byte[] bytes = InetAddresses.forString(address).getAddress();
    byte[] key = new byte[bytes.length + 1];
    key[0] = (byte) bytes.length;
    System.arraycopy(bytes, 0, key, 1, bytes.length);
    return key;
  }
}
