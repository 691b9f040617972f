/**
 * Coders of the types that cross a shuffle or a side input, and the block and varint byte formats
 * they share ({@link dev.connbal.transforms.wire.BlockCoder}). A coder lives here, apart from its
 * type, so that the stages read as data flow and the byte formats can be compared in one place.
 */
package dev.connbal.transforms.wire;
