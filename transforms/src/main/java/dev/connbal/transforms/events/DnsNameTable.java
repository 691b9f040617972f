package dev.connbal.transforms.events;

import dev.connbal.transforms.decode.DnsName;
import dev.connbal.transforms.decode.DnsNameCoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
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

  /** Slots of {@link #recent}; a power of two. */
  private static final int RECENT_SLOTS = 64;

  private final Map<Spelling, Integer> indexBySpelling = new HashMap<>();
  private final List<DnsName> names = new ArrayList<>();

  /**
   * The instances last looked up, by their hash, and their indexes: a range's decoder hands out one
   * instance per spelling ({@link dev.connbal.transforms.decode.DnsNameCache}), so most lookups
   * find theirs here without a key object or a comparison of bytes.
   */
  private final DnsName[] recent = new DnsName[RECENT_SLOTS];

  private final int[] recentIndexes = new int[RECENT_SLOTS];

  /** The index of {@code name}, adding it when it is new. */
  // The == only finds the same instance again, whose index is the one its spelling has.
  @SuppressWarnings("ReferenceEquality")
  public int indexOf(DnsName name) {
    int slot = name.hashCode() & (RECENT_SLOTS - 1);
    if (recent[slot] == name) {
      return recentIndexes[slot];
    }
    int index =
        indexBySpelling.computeIfAbsent(
            new Spelling(name),
            k -> {
              names.add(name);
              return names.size() - 1;
            });
    recent[slot] = name;
    recentIndexes[slot] = index;
    return index;
  }

  /** The name of index {@code index}, as {@link #indexOf} gave it. */
  DnsName nameAt(int index) {
    return names.get(index);
  }

  int size() {
    return names.size();
  }

  /** Forgets every name, for the next partial. */
  void clear() {
    indexBySpelling.clear();
    names.clear();
    Arrays.fill(recent, null);
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
