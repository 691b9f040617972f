/**
 * Stage 3, {@link dev.connbal.transforms.ConnBal.CountConnections} (and {@link
 * dev.connbal.transforms.ConnBal.CountStreams} in the all-streams mode): connection attempts
 * ({@link dev.connbal.transforms.count.AttemptCounts}, retransmissions within the window counted
 * once) or streams ({@link dev.connbal.transforms.count.StreamTracker}) joined per shard of pairs
 * with the DNS facts into {@link dev.connbal.transforms.ConnBalRow}s.
 */
package dev.connbal.transforms.count;
