#!/usr/bin/env node
import { runCli } from "./cli.ts";

/**
 * `node apps/cli/src/main.ts …` (and the `llmr` bin, `pnpm llmr …`). Ctrl-C aborts what the CLI
 * is doing (waiting, uploading) and exits 130; a second Ctrl-C exits at once.
 */
const interrupt = new AbortController();
process.once("SIGINT", () => {
  interrupt.abort();
  process.once("SIGINT", () => process.exit(130));
});

// `pnpm llmr …` runs in the repository root; paths on its command line are the caller's.
const cwd =
  process.env.npm_lifecycle_event === "llmr" && process.env.INIT_CWD ? process.env.INIT_CWD : process.cwd();

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd,
  timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  signal: interrupt.signal,
  pollIntervalMs: Number(process.env.LLMR_POLL_INTERVAL_MS) || 1000,
  now: () => new Date(),
});
