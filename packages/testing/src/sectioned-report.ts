/**
 * A plain report of `count` paragraphs ("Section p reports that milestone p was reached on time.
 * Detail 0 of section p …"), about 100 tokens each: a long input whose paragraphs a test can tell
 * apart (map-reduce parts, summaries). `marked` puts a string (e.g. a simulator marker) at the
 * start of some paragraphs' details.
 *
 * @example
 * sectionedReport(40, { 20: simMarker({ fault: "400" }) }); // ~4,000 tokens, section 20 fails
 */
export function sectionedReport(count: number, marked: Record<number, string> = {}): string {
  return Array.from({ length: count }, (_, p) => {
    const body = Array.from(
      { length: 5 },
      (_, s) => `Detail ${s} of section ${p} concerns the budget line ${p * 7 + s} and who signed off on it.`,
    ).join(" ");
    return `Section ${p} reports that milestone ${p} was reached on time. ${marked[p] ?? ""}${body}`;
  }).join("\n\n");
}
