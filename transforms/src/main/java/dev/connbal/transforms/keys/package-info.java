/**
 * Shuffle keys: {@link dev.connbal.transforms.keys.Shards} maps fine keys (a client, a (client,
 * backend) pair, a 4-tuple) to a bounded number of shards, so that no shuffle has more keys than
 * its shard count; packed pair keys and the map keyed by them.
 */
package dev.connbal.transforms.keys;
