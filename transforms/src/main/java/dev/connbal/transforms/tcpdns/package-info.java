/**
 * DNS over TCP (RFC 1035 4.2.2, RFC 7766): the segments of each stream direction that carry DNS
 * payload, gathered from every range and file of a run, put back in sequence order and cut into
 * messages ({@link dev.connbal.transforms.tcpdns.DnsStreamReassembler}, without Beam), which then
 * join the UDP messages' road to the timeline.
 */
package dev.connbal.transforms.tcpdns;
