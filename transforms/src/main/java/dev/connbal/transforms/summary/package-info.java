/**
 * The balance summary, after the analysis: {@link
 * dev.connbal.transforms.summary.Summary#summarize()} takes the rows that {@link
 * dev.connbal.transforms.ConnBal.CountConnections} made (stage 3) and gives one {@link
 * dev.connbal.transforms.summary.SummaryRow} per client and name, as SEMANTICS.md's "The balance
 * summary" defines it; the summaries leave as the {@code --summary} TSV ({@link
 * dev.connbal.transforms.summary.SummaryTsv}) or the HTML report ({@link
 * dev.connbal.transforms.summary.HtmlReport}), beside or instead of the rows' documents.
 *
 * <p>The numbers are computed without Beam ({@link
 * dev.connbal.transforms.summary.BalanceSummarizer}); the chi-square p-value comes from
 * commons-math.
 */
package dev.connbal.transforms.summary;
