/** One sample of a Prometheus text exposition: `name{label="value",…} 12.5`. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A scrape, parsed: its samples and the families it declares (`# TYPE name type`). */
export interface Scrape {
  text: string;
  samples: Sample[];
  types: Map<string, string>;
  /** Sum of the samples of `name` whose labels include all of `where`. */
  sum(name: string, where?: Record<string, string>): number;
  /** Sums of `name` grouped by the value of label `by`. */
  sumBy(name: string, by: string): Record<string, number>;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Parses the text format (0.0.4) well enough to add samples up; comments other than TYPE are skipped. */
export function parseScrape(text: string): Scrape {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split("\n")) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type?.[1] && type[2]) types.set(type[1], type[2]);
    if (line.startsWith("#") || line.trim() === "") continue;
    const match = SAMPLE.exec(line);
    if (!match?.[1] || match[3] === undefined) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? "").matchAll(LABEL)) if (key) labels[key] = value ?? "";
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  const matching = (name: string, where: Record<string, string>) =>
    samples.filter(
      (sample) =>
        sample.name === name && Object.entries(where).every(([key, value]) => sample.labels[key] === value),
    );
  return {
    text,
    samples,
    types,
    sum: (name, where = {}) => matching(name, where).reduce((total, sample) => total + sample.value, 0),
    sumBy: (name, by) => {
      const sums: Record<string, number> = {};
      for (const sample of matching(name, {})) {
        const key = sample.labels[by] ?? "";
        sums[key] = (sums[key] ?? 0) + sample.value;
      }
      return sums;
    },
  };
}
