package dev.connbal.transforms.keys;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * A hash map from primitive {@code long} keys (such as {@link ClientBackend} pairs) to non-null
 * values, by open addressing over arrays, for the timeline's per-response lookups. A {@code
 * HashMap<Long, V>} boxes every key it is asked about and hashes a pair by XOR-ing its two
 * addresses, which for clients and backends of a few subnets sends most pairs to a few buckets;
 * here a lookup is a well-mixed hash ({@link Shards#mix}) and a few array reads.
 */
public final class LongKeyedMap<V> implements Serializable {
  private static final long serialVersionUID = 1L;

  private static final int INITIAL_CAPACITY = 64;

  private long[] keys = new long[INITIAL_CAPACITY];
  private Object[] values = new Object[INITIAL_CAPACITY];
  private int size;

  /** The value of {@code key}; when there is none, {@code create}'s value for it, now stored. */
  public V computeIfAbsent(long key, LongFunction<V> create) {
    int slot = slotOf(key);
    V value = valueAt(slot);
    if (value != null) {
      return value;
    }
    value = create.apply(key);
    if (value == null) {
      throw new NullPointerException("no value created for key " + key);
    }
    keys[slot] = key;
    values[slot] = value;
    size++;
    // At most half full, so that a probe ends after a few slots.
    if (size * 2 > keys.length) {
      grow();
    }
    return value;
  }

  /** The value of {@code key}, or null when there is none. */
  public V get(long key) {
    return valueAt(slotOf(key));
  }

  public int size() {
    return size;
  }

  /** Every value, in no particular order. */
  public List<V> values() {
    List<V> all = new ArrayList<>(size);
    for (int i = 0; i < values.length; i++) {
      if (values[i] != null) {
        all.add(valueAt(i));
      }
    }
    return all;
  }

  /** The slot that holds {@code key}, or the empty slot where it would go. */
  private int slotOf(long key) {
    int mask = keys.length - 1;
    int i = (int) Shards.mix(key) & mask;
    while (values[i] != null && keys[i] != key) {
      i = (i + 1) & mask;
    }
    return i;
  }

  @SuppressWarnings("unchecked")
  private V valueAt(int slot) {
    return (V) values[slot];
  }

  private void grow() {
    long[] oldKeys = keys;
    Object[] oldValues = values;
    keys = new long[oldKeys.length * 2];
    values = new Object[oldValues.length * 2];
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldValues[i] != null) {
        int slot = slotOf(oldKeys[i]);
        keys[slot] = oldKeys[i];
        values[slot] = oldValues[i];
      }
    }
  }
}
