/**
 * The run report: what every stage read and skipped ({@link
 * dev.connbal.transforms.report.RunReport}), summed into one, and the same counts as Beam metrics
 * ({@link dev.connbal.transforms.report.ConnBalMetrics}).
 */
package dev.connbal.transforms.report;
