/**
 * connbal's analysis as Beam transforms. {@link dev.connbal.transforms.ConnBal#analyze()} composes
 * the stages, each a public transform with a package of its own:
 *
 * <ol>
 *   <li>{@link dev.connbal.transforms.ConnBal.ExtractEvents} reads the captures once ({@code
 *       events}, on {@code decode});
 *   <li>{@link dev.connbal.transforms.ConnBal.RunDnsTimeline} runs the DNS rules ({@code
 *       timeline});
 *   <li>{@link dev.connbal.transforms.ConnBal.CountConnections} joins connections with the DNS
 *       facts into {@link dev.connbal.transforms.ConnBalRow}s ({@code count});
 * </ol>
 *
 * <p>and {@code output} renders the rows as documents. After the analysis, {@code summary}'s {@link
 * dev.connbal.transforms.summary.Summary#summarize()} makes the balance summary of the rows. {@code
 * report}, {@code wire} and {@code keys} serve every stage: the run report, the coders, the shuffle
 * keys.
 */
package dev.connbal.transforms;
