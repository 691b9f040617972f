/**
 * Stage 1, {@link dev.connbal.transforms.ConnBal.ExtractEvents}: what a range of a capture yields,
 * read once. DNS messages become events ordered by {@link dev.connbal.transforms.events.OrderKey}
 * and gathered per shard of clients into {@link dev.connbal.transforms.events.DnsPartial}s; opening
 * SYNs become {@link dev.connbal.transforms.events.SynBatch}es per shard of (client, server) pairs;
 * the all-streams mode's second read makes {@link dev.connbal.transforms.events.StreamFragment}s.
 */
package dev.connbal.transforms.events;
