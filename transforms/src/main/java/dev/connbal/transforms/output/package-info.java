/**
 * The rows as documents: {@link dev.connbal.transforms.output.Documents} renders SEMANTICS.md's
 * sorted TSV, CSV and JSON lines; {@link dev.connbal.transforms.output.IpFormat} is the TSV's
 * address form.
 */
package dev.connbal.transforms.output;
