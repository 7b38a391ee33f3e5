import { spawn } from "node:child_process";
import { join } from "node:path";
import { REPO_ROOT } from "@llmr/testing";

/** The `llmr` bin, run as a user runs it (`npx llmr`, `pnpm llmr`). */
const LLMR_BIN = join(REPO_ROOT, "apps", "cli", "bin", "llmr.js");

/** The CLI's exit codes that still mean "the batch ran to the end" (apps/cli/README.md). */
const FINISHED_CODES = new Set([0, 1]);

/** How `llmr batch submit --wait` ended. */
export interface CliSubmitRun {
  batchId: string;
  /** 0 every item succeeded, 1 some failed. */
  exitCode: number;
  /** The command line, to show the user what ran (without the key, which goes in the env). */
  command: string;
}

/**
 * `llmr batch submit <items> --task summarize --wait --out <dir>`: the CLI uploads the .jsonl,
 * shows its progress on our stderr, and writes `<dir>/<name>.results.jsonl`. Throws unless the
 * batch finished (exit 0 or 1), with the CLI's own words.
 */
export function runCliSubmit(
  itemsFile: string,
  outDir: string,
  api: { apiUrl: string; apiKey: string },
): Promise<CliSubmitRun> {
  const args = ["batch", "submit", itemsFile, "--task", "summarize", "--wait", "--out", outDir];
  const command = `llmr ${args.join(" ")}`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [LLMR_BIN, ...args], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? "",
        LLMR_API_URL: api.apiUrl,
        LLMR_API_KEY: api.apiKey,
        LLMR_POLL_INTERVAL_MS: process.env.LLMR_POLL_INTERVAL_MS ?? "500",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderrTail = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      // The CLI's progress and summary lines are what a person watches: pass them through.
      process.stderr.write(chunk);
      stderrTail = (stderrTail + chunk.toString()).slice(-4_000);
    });
    child.once("error", reject);
    child.once("close", (code) => {
      const batchId = stdout.trim().split("\n")[0] ?? "";
      if (code !== null && FINISHED_CODES.has(code) && batchId.startsWith("batch_")) {
        resolve({ batchId, exitCode: code, command });
      } else {
        reject(new Error(`${command} exited ${code ?? "on a signal"}:\n${stderrTail}`));
      }
    });
  });
}
