import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { CorpusDocument } from "./corpus.ts";
import type { ItemOutcome } from "./report.ts";
import { tierPath } from "./report.ts";

/**
 * `summaries.jsonl` (one line per document, in batch order: the summary next to the human
 * references) and `summaries/<id>.md` for every document (a failed one says why it has no summary).
 */
export async function writeSummaries(
  outDir: string,
  documents: ReadonlyMap<string, CorpusDocument>,
  outcomes: readonly ItemOutcome[],
): Promise<number> {
  const folder = join(outDir, "summaries");
  await mkdir(folder, { recursive: true });
  const jsonl = createWriteStream(join(outDir, "summaries.jsonl"));
  let files = 0;
  for (const { result, job } of outcomes) {
    const document = documents.get(result.custom_id);
    const line = {
      id: result.custom_id,
      dataset: document?.dataset ?? null,
      title: document?.title ?? null,
      status: result.status,
      summary: result.output_text,
      error: result.error,
      tiers: tierPath(job),
      model: job.attempts.at(-1)?.model ?? null,
      provider: job.attempts.at(-1)?.provider ?? null,
      cost_usd: job.cost_usd,
      job_id: result.job_id,
      references: document?.references ?? [],
    };
    if (!jsonl.write(`${JSON.stringify(line)}\n`)) await once(jsonl, "drain");
    await writeFile(join(folder, `${fileName(result.custom_id)}.md`), documentMarkdown(line));
    files += 1;
  }
  jsonl.end();
  await once(jsonl, "finish");
  return files;
}

/** Corpus ids are plain (`scitldr-SJ1Xmf-Rb`); anything else is made safe for a file name. */
function fileName(id: string): string {
  return id.replace(/[^\w.-]/g, "_").replace(/^\.+/, "_");
}

function documentMarkdown(line: {
  id: string;
  title: string | null;
  status: string;
  summary: string | null;
  error: { message: string } | null;
  tiers: string[];
  model: string | null;
  provider: string | null;
  cost_usd: number;
  references: string[];
}): string {
  const heading = line.title ? `${line.title} (${line.id})` : line.id;
  const references = line.references.map((reference) => `- ${reference.trim()}`);
  return [
    `# ${heading}`,
    "",
    `_${line.provider} ${line.model}, tiers ${line.tiers.join(" → ")}, $${line.cost_usd.toFixed(6)}_`,
    "",
    "## Summary",
    "",
    line.status === "succeeded"
      ? (line.summary ?? "").trim()
      : `_No summary: the item ${line.status}${line.error ? ` (${line.error.message})` : ""}._`,
    "",
    "## Human reference summaries",
    "",
    ...(references.length > 0 ? references : ["(none)"]),
    "",
  ].join("\n");
}
