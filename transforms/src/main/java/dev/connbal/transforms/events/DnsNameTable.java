package dev.connbal.transforms.events;

import dev.connbal.transforms.decode.DnsName;
import dev.connbal.transforms.decode.DnsNameCoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.util.VarInt;

/**
 * The distinct names of a {@link DnsPartial}'s events, written once at its start; events refer to
 * them by index.
 *
 * <p>Why: a range's DNS traffic repeats a few service names thousands of times. Written once, they
 * no longer make most of the bytes of the partials that wait for the timeline, and the timeline
 * decodes and hashes each name once per partial instead of once per event. Names are told apart by
 * their exact wire bytes, not by DNS's case-insensitive equality, so that every event keeps the
 * spelling its packet had (the first A record's owner spelling is what a backend's row prints).
 */
public final class DnsNameTable {
  private static final DnsNameCoder NAME = DnsNameCoder.of();

  private final Map<Spelling, Integer> indexBySpelling = new HashMap<>();
  private final List<DnsName> names = new ArrayList<>();

  /** The index of {@code name}, adding it when it is new. */
  public int indexOf(DnsName name) {
    return indexBySpelling.computeIfAbsent(
        new Spelling(name),
        k -> {
          names.add(name);
          return names.size() - 1;
        });
  }

  int size() {
    return names.size();
  }

  void writeTo(OutputStream out) throws IOException {
    VarInt.encode(names.size(), out);
    for (DnsName name : names) {
      NAME.encode(name, out);
    }
  }

  /**
   * Reads a table written by {@link #writeTo}, each name replaced by the one instance {@code
   * shared} holds of its exact spelling, so that equal names of different partials compare by
   * identity.
   */
  static DnsName[] read(InputStream in, Interner shared) throws IOException {
    int n = VarInt.decodeInt(in);
    // Every name takes at least two bytes: a corrupt count must not allocate a huge array.
    if (n < 0 || n > in.available() / 2) {
      throw new CoderException("name table of " + n + " names with " + in.available() + " bytes");
    }
    DnsName[] names = new DnsName[n];
    for (int i = 0; i < n; i++) {
      names[i] = shared.intern(NAME.decode(in));
    }
    return names;
  }

  /** The entry {@code index} of a table read by {@link #read}; fails on a corrupt index. */
  public static DnsName name(DnsName[] table, int index) throws CoderException {
    if (index < 0 || index >= table.length) {
      throw new CoderException("name index " + index + " outside a table of " + table.length);
    }
    return table[index];
  }

  /** A name as a map key that tells apart spellings (DNS's equality ignores case). */
  private record Spelling(DnsName name) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Spelling s && name.sameSpelling(s.name);
    }

    @Override
    public int hashCode() {
      return name.hashCode();
    }
  }

  /** One instance per exact spelling of a name, across the partials of a timeline. */
  public static final class Interner {
    private final Map<Spelling, DnsName> bySpelling = new HashMap<>();

    DnsName intern(DnsName name) {
      DnsName known = bySpelling.putIfAbsent(new Spelling(name), name);
      return known != null ? known : name;
    }
  }
}
