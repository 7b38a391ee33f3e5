import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { REPO_ROOT } from "@llmr/testing";
import type { Dataset } from "./demo-options.ts";

/**
 * The shared corpus, read in place (never copied into the repository; see its README): real
 * documents with human reference summaries.
 */
export const DOCUMENTS_DIR = join(REPO_ROOT, "..", "shared", "data", "documents");

const FILES: Record<Dataset, string> = {
  scitldr: "scitldr-abstracts.jsonl",
  qmsum: "qmsum-meetings.jsonl",
};

/** One document of the corpus, as its README describes the lines. */
export interface CorpusDocument {
  id: string;
  dataset: Dataset;
  title: string | null;
  text: string;
  references: string[];
}

/** The first `limit` documents of a set, in file order (all of them without a limit). */
export async function readDocuments(dataset: Dataset, limit?: number): Promise<CorpusDocument[]> {
  const path = join(DOCUMENTS_DIR, FILES[dataset]);
  const documents: CorpusDocument[] = [];
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Number.POSITIVE_INFINITY });
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber += 1;
    if (line.trim() === "") continue;
    documents.push(toDocument(JSON.parse(line) as Record<string, unknown>, `${path}:${lineNumber}`));
    if (limit !== undefined && documents.length >= limit) {
      lines.close();
      break;
    }
  }
  return documents;
}

function toDocument(raw: Record<string, unknown>, where: string): CorpusDocument {
  const { id, dataset, title, text, references } = raw;
  if (typeof id !== "string" || typeof text !== "string" || (dataset !== "scitldr" && dataset !== "qmsum")) {
    throw new Error(`${where}: not a corpus document (id, dataset, text expected)`);
  }
  return {
    id,
    dataset,
    title: typeof title === "string" ? title : null,
    text,
    references: Array.isArray(references) ? references.filter((r): r is string => typeof r === "string") : [],
  };
}

/** What a document is sent as: its title (when it has one) above its text. */
export function itemInput(document: CorpusDocument): string {
  return document.title ? `${document.title}\n\n${document.text}` : document.text;
}

/**
 * Writes the batch as `llmr batch submit` takes a .jsonl: one item per document, `custom_id` = the
 * document's id (the task comes from the CLI's `--task`). Written one line at a time: the meetings
 * are long.
 */
export async function writeItemsFile(documents: readonly CorpusDocument[], path: string): Promise<void> {
  const stream = createWriteStream(path);
  for (const document of documents) {
    const line = `${JSON.stringify({ custom_id: document.id, input: itemInput(document) })}\n`;
    if (!stream.write(line)) await once(stream, "drain");
  }
  stream.end();
  await once(stream, "finish");
}
