package dev.connbal.transforms.timeline;

import dev.connbal.transforms.keys.ClientBackend;
import dev.connbal.transforms.keys.IpAddress;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A map from (client, backend) address pairs to values, open-addressed: each slot's pair is four
 * longs side by side in one array, so a lookup reads one run of memory and then the value, and
 * makes no key object. The timeline looks up a backend for every address record of every matched
 * response; a hash map keyed by {@link ClientBackend} follows a pointer each to its entry, key,
 * both addresses and value.
 */
final class PairTable<V> implements Serializable {
  private static final long serialVersionUID = 1L;

  private static final int LONGS_PER_PAIR = 4;
  private static final int INITIAL_SLOTS = 64;

  /** Client high, client low, backend high, backend low per slot. */
  private long[] pairs = new long[INITIAL_SLOTS * LONGS_PER_PAIR];

  /** Null in a free slot. */
  private @Nullable Object[] values = new Object[INITIAL_SLOTS];

  private int size;

  /** The value of ({@code client}, {@code backend}), or null when there is none. */
  @SuppressWarnings("unchecked")
  @Nullable V get(IpAddress client, IpAddress backend) {
    int slot = slotOf(pairs, values, client, backend);
    return (V) values[slot];
  }

  /** Sets the value of ({@code client}, {@code backend}) to {@code value}, not null. */
  void put(IpAddress client, IpAddress backend, V value) {
    if (value == null) {
      throw new NullPointerException("value is required");
    }
    int slot = slotOf(pairs, values, client, backend);
    if (values[slot] == null) {
      if (2 * (size + 1) > values.length) {
        grow();
        slot = slotOf(pairs, values, client, backend);
      }
      setPair(pairs, slot, client.high(), client.low(), backend.high(), backend.low());
      size++;
    }
    values[slot] = value;
  }

  int size() {
    return size;
  }

  /** Every value, in no particular order. */
  @SuppressWarnings("unchecked")
  List<V> values() {
    List<V> all = new ArrayList<>(size);
    for (Object v : values) {
      if (v != null) {
        all.add((V) v);
      }
    }
    return all;
  }

  /** The slot that holds the pair, or the free slot where it would go. */
  private static int slotOf(
      long[] pairs, @Nullable Object[] values, IpAddress client, IpAddress backend) {
    long ch = client.high();
    long cl = client.low();
    long bh = backend.high();
    long bl = backend.low();
    int mask = values.length - 1;
    int slot = (int) ClientBackend.hash(ch, cl, bh, bl) & mask;
    while (values[slot] != null) {
      int at = slot * LONGS_PER_PAIR;
      if (pairs[at + 3] == bl && pairs[at + 1] == cl && pairs[at + 2] == bh && pairs[at] == ch) {
        return slot;
      }
      slot = (slot + 1) & mask;
    }
    return slot;
  }

  private static void setPair(long[] pairs, int slot, long ch, long cl, long bh, long bl) {
    int at = slot * LONGS_PER_PAIR;
    pairs[at] = ch;
    pairs[at + 1] = cl;
    pairs[at + 2] = bh;
    pairs[at + 3] = bl;
  }

  private void grow() {
    long[] oldPairs = pairs;
    Object[] oldValues = values;
    pairs = new long[oldPairs.length * 2];
    values = new Object[oldValues.length * 2];
    int mask = values.length - 1;
    for (int old = 0; old < oldValues.length; old++) {
      if (oldValues[old] == null) {
        continue;
      }
      int at = old * LONGS_PER_PAIR;
      long ch = oldPairs[at];
      long cl = oldPairs[at + 1];
      long bh = oldPairs[at + 2];
      long bl = oldPairs[at + 3];
      int slot = (int) ClientBackend.hash(ch, cl, bh, bl) & mask;
      while (values[slot] != null) {
        slot = (slot + 1) & mask;
      }
      setPair(pairs, slot, ch, cl, bh, bl);
      values[slot] = oldValues[old];
    }
  }
}
