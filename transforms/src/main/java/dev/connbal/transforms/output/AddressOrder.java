package dev.connbal.transforms.output;

import dev.connbal.transforms.keys.IpAddress;
import java.util.Comparator;

/**
 * SEMANTICS.md's order of addresses ({@link IpAddress#compareTo}: IPv4 before IPv6, numeric). Every
 * document that lists clients or backends sorts them by it.
 */
public final class AddressOrder {
  private AddressOrder() {}

  /** Compares addresses in their plain text form (each parsed on every call). */
  public static final Comparator<String> TEXT = Comparator.comparing(IpAddress::parse);
}
