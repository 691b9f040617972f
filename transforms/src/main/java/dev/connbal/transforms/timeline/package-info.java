/**
 * Stage 2, {@link dev.connbal.transforms.ConnBal.RunDnsTimeline}: SEMANTICS.md's DNS rules in
 * timeline order ({@link dev.connbal.transforms.timeline.DnsTimeline}, Beam-free), one timeline per
 * shard of clients, with the run's SRV knowledge learnt first ({@link
 * dev.connbal.transforms.timeline.SrvLearner}, {@link
 * dev.connbal.transforms.timeline.SrvKnowledge}) when there are several shards. Its output is
 * {@link dev.connbal.transforms.timeline.BackendFacts} per (client, backend) pair and, for the
 * all-streams mode, the backend table.
 */
package dev.connbal.transforms.timeline;
