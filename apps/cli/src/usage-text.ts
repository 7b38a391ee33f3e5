import type { CommandName } from "./command-line.ts";

/** `llmr --help` and `llmr <command> --help`. */
export const USAGE = `llmr: submit jobs and batches to an llmr API, wait for them, write their results.

Usage: llmr <command> [arguments] [flags]

Jobs
  llmr jobs submit (--input TEXT | --file F) [--task T] [--class interactive|batch] [--wait] [--json]
  llmr jobs get <job_id> [--json]
  llmr jobs wait <job_id> [--json]

Batches
  llmr batch submit <folder | items.jsonl> [--task summarize] [--not-before ISO] [--complete-by ISO]
                    [--window HH:MM-HH:MM[@Area/City]] [--wait] [--out DIR]
  llmr batch status <batch_id> [--wait] [--json]
  llmr batch results <batch_id> [--out DIR | --jsonl FILE]     (default: JSONL on stdout)
  llmr batch cancel <batch_id> [--json]

Everywhere
  --api-url URL   the API (env LLMR_API_URL; default http://127.0.0.1:8080)
  --api-key KEY   the API key (env LLMR_API_KEY; prefer the env: flags show up in ps)
  -h, --help      this text

Exit codes
  0 success (the job / every item succeeded)   1 the job or some items failed
  2 usage error   3 API refused the request (4xx)   4 API unreachable or 5xx
  5 cancelled     130 Ctrl-C while waiting (the job or batch keeps running)
`;

const DETAILS: Partial<Record<CommandName, string>> = {
  "batch submit": `llmr batch submit <folder | items.jsonl> [flags]

A folder: one item per .txt/.md file (recursively; *.summary.md and dot files skipped), custom_id =
the file's path relative to the folder, input = its text. Results: <name>.summary.md next to each
input (or under --out DIR). A .jsonl file: its lines are sent as items as they are (a first
{"object":"batch.options",...} line is merged with the flags); results: <file>.results.jsonl next
to it (or in --out DIR).

  --task T              task of every item (default for a folder: summarize)
  --not-before ISO      start no earlier than this (e.g. 2030-01-01T01:00:00Z)
  --complete-by ISO     every item's deadline
  --window 01:00-06:00@Europe/Berlin
                        the next occurrence of that daily local-time window (zone: default the
                        system's) as not-before / complete-by
  --wait                show progress until every item finished, then write the results
  --out DIR             write the results there instead of next to the inputs
`,
  "batch results": `llmr batch results <batch_id> [--out DIR | --jsonl FILE]

Writes the results finished so far, in item order: as <custom_id>.summary.md files under --out DIR,
as JSONL to --jsonl FILE, or as JSONL on stdout. Exit 1 when some items failed or the batch is not
finished yet (the results are then partial).
`,
};

export function usageFor(command: CommandName | undefined): string {
  return (command && DETAILS[command]) ?? USAGE;
}
