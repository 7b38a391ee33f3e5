import { parseArgs } from "node:util";

/** The two document sets of `../shared/data/documents/`. */
export type Dataset = "scitldr" | "qmsum";
export const DATASETS: readonly Dataset[] = ["scitldr", "qmsum"];

/** What `pnpm demo:batch` was asked to do. */
export interface DemoOptions {
  /** The documents to summarize: one set or both. @defaultValue both */
  datasets: Dataset[];
  /** At most this many documents of each set (in file order); none: all of them. */
  limits: Partial<Record<Dataset, number>>;
  /** Where the summaries and the report go. @defaultValue `demo-output/<UTC time>` */
  outDir: string | undefined;
  /**
   * Multiplies the simulator's latency (only for the simulator the demo starts itself); 0 answers
   * at once. @defaultValue 0.5: the whole corpus in about 1.5 minutes on two cores (2.7 at 1)
   */
  latencyScale: number;
  help: boolean;
}

/** A command line the demo cannot run; main prints it with the usage and exits 2. */
export class DemoUsageError extends Error {
  override readonly name = "DemoUsageError";
}

export const DEFAULT_LATENCY_SCALE = 0.5;

export const USAGE = `pnpm demo:batch [--docs scitldr|qmsum|all] [--limit N | --limit scitldr=N,qmsum=M]
                [--out DIR] [--latency-scale X]

Summarizes the real documents of ../shared/data/documents through \`llmr batch submit\` and writes
the summaries and a report (items, failures, escalations, cost, wall time, capable-tier estimate).

  --docs           which documents: scitldr (618 abstracts), qmsum (35 meetings) or all (default)
  --limit          at most N documents of each set, or per set (scitldr=5,qmsum=1); default: all
  --out            output folder (default: demo-output/<UTC time>, git-ignored)
  --latency-scale  the started simulator's latency factor (default ${DEFAULT_LATENCY_SCALE}; 1 = realistic, 0 = instant)

Environment: LLMR_API_URL + LLMR_API_KEY use a running system instead of starting one;
OPENAI_API_KEY / ANTHROPIC_API_KEY make the started system call the real vendors (it costs money);
REDIS_URL uses that Redis instead of starting one.`;

/** Parses the demo's flags (strict: an unknown flag is a usage error). */
export function parseDemoOptions(argv: readonly string[]): DemoOptions {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new DemoUsageError(error instanceof Error ? error.message : String(error));
  }
  const { values } = parsed;
  return {
    datasets: parseDocs(values.docs ?? "all"),
    limits: values.limit === undefined ? {} : parseLimit(values.limit),
    outDir: values.out,
    latencyScale: parseScale(values["latency-scale"]),
    help: values.help ?? false,
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      docs: { type: "string" },
      limit: { type: "string" },
      out: { type: "string" },
      "latency-scale": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
}

function parseDocs(text: string): Dataset[] {
  if (text === "all") return [...DATASETS];
  if (isDataset(text)) return [text];
  throw new DemoUsageError(`--docs ${text}: use scitldr, qmsum or all`);
}

function parseLimit(text: string): Partial<Record<Dataset, number>> {
  if (/^\d+$/.test(text)) {
    const n = count(text, "--limit");
    return Object.fromEntries(DATASETS.map((dataset) => [dataset, n]));
  }
  const limits: Partial<Record<Dataset, number>> = {};
  for (const part of text.split(",")) {
    const [name = "", value = ""] = part.split("=");
    if (!isDataset(name)) throw new DemoUsageError(`--limit ${text}: "${name}" is not scitldr or qmsum`);
    limits[name] = count(value, `--limit ${name}`);
  }
  return limits;
}

function count(text: string, flag: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1) throw new DemoUsageError(`${flag}=${text}: must be a whole number ≥ 1`);
  return n;
}

function parseScale(text: string | undefined): number {
  if (text === undefined) return DEFAULT_LATENCY_SCALE;
  const scale = Number(text);
  if (text.trim() === "" || !Number.isFinite(scale) || scale < 0) {
    throw new DemoUsageError(`--latency-scale ${text}: must be a number ≥ 0`);
  }
  return scale;
}

function isDataset(name: string): name is Dataset {
  return (DATASETS as readonly string[]).includes(name);
}
