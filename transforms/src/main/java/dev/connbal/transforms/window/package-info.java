/**
 * Results per window of capture time (SEMANTICS.md "Windows"), for files and for captures that keep
 * arriving: after the events of pass 1 ({@link dev.connbal.transforms.events}), each event of a
 * client goes, stamped with its capture time, to the keyed state of its client's shard, which runs
 * the DNS rules and counts the connections in capture-time order ({@link ShardTimeline}) and
 * outputs each window's rows when the window ends; the rows of a window from every shard become its
 * document ({@link dev.connbal.transforms.output}).
 */
package dev.connbal.transforms.window;
