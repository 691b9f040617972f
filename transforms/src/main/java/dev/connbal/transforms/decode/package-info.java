/**
 * Decoding in place, without allocation: link and IP frames ({@link
 * dev.connbal.transforms.decode.FrameDecoder}), DNS messages with a length check before every read
 * ({@link dev.connbal.transforms.decode.DnsMessageReader}), DNS names and TCP flags. No Beam types:
 * the readers of the next stage call it once per packet.
 */
package dev.connbal.transforms.decode;
