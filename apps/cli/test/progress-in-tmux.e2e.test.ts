import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findExecutable, REPO_ROOT, redisFixture } from "@llmr/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliStack } from "./cli-stack.ts";
import { LLMR_BIN, sampleDocument, startCliStack } from "./cli-stack.ts";

/**
 * What a person sees: `llmr batch submit --wait` in a real terminal (a tmux pane, 120×30), captured
 * while it waits and after it ends. Skipped when tmux is missing, except on CI where it must run.
 */
const TMUX = findExecutable("tmux");
const MUST_RUN = process.env.CI === "true";
if (!TMUX && !MUST_RUN) console.warn("progress-in-tmux: tmux is not installed; skipping the terminal test");

const API_KEY = "llmr_e2e_cli_tmux_0123456789abcdef012345";
/** Each item's model call takes this long, so the wait lasts a few seconds and shows progress. */
const CALL_MS = 700;
const ITEMS = 12;
const redis = redisFixture();
// Its own tmux server (socket), so nobody's sessions are touched and kill-server is safe.
const socket = `llmr-cli-test-${randomUUID()}`;
let stack: CliStack | undefined;

const tmux = (...args: string[]) =>
  execFileSync(TMUX ?? "tmux", ["-L", socket, ...args], { encoding: "utf8" });
const screen = () => tmux("capture-pane", "-p", "-t", "cli");

beforeAll(async () => {
  if (TMUX || MUST_RUN) stack = await startCliStack(redis, API_KEY);
});

afterAll(async () => {
  if (TMUX) {
    try {
      tmux("kill-server");
    } catch {
      // The server was never started or is gone already.
    }
  }
  await stack?.stop();
});

async function screenWhere(test: (text: string) => boolean, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = screen();
    if (test(text)) return text;
    if (Date.now() > deadline) throw new Error(`the pane never showed what was expected; it shows:\n${text}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.skipIf(!TMUX && !MUST_RUN)("llmr batch submit --wait in a terminal (tmux)", () => {
  it("shows a live progress line (bar, done/total, failed, cost, ETA) redrawn in place, then a summary", async () => {
    expect(TMUX, "tmux must be installed on CI (apt-get install tmux)").toBeDefined();
    const root = mkdtempSync(join(tmpdir(), "llmr-cli-tmux-"));
    for (let i = 0; i < ITEMS; i++) {
      writeFileSync(
        join(root, `doc-${String(i).padStart(2, "0")}.txt`),
        `${sampleDocument(`report ${i}`)} [[sim latency_ms=${CALL_MS}]]`,
      );
    }
    const env = `LLMR_API_URL=${stack?.apiUrl} LLMR_API_KEY=${API_KEY} LLMR_POLL_INTERVAL_MS=200`;
    const command = `cd ${REPO_ROOT} && env ${env} ${process.execPath} ${LLMR_BIN} batch submit ${root} --wait; echo "exit=$?"; sleep 600`;
    tmux("new-session", "-d", "-s", "cli", "-x", "120", "-y", "30", command);

    const progress = /\[[#-]{20}\] (\d+)\/12 done · (\d+) failed · \$[\d.]+ · ETA (\d+s|--)/;
    // While it waits: a line with some, not all, items done and an ETA from the observed rate.
    const waiting = await screenWhere((text) => {
      const match = progress.exec(text);
      return match !== null && Number(match[1]) > 0 && Number(match[1]) < ITEMS && match[3] !== "--";
    });
    expect(waiting).toMatch(/submitted 12 items as batch_\w+/);
    expect(waiting).not.toContain(API_KEY.slice(10));

    const done = await screenWhere((text) => text.includes("exit="));
    const lines = done.split("\n").map((line) => line.trimEnd());
    // Redrawn in place: one progress line on the screen, the last state, not one per poll.
    expect(lines.filter((line) => progress.test(line))).toEqual([
      expect.stringMatching(/^\[#{20}\] 12\/12 done · 0 failed · \$[\d.]+ · ETA 0s$/),
    ]);
    expect(done).toMatch(/batch batch_\w+ completed: 12 succeeded, 0 failed of 12 · \$[\d.]+ · \d+s/);
    expect(done).toContain(`wrote 12 results to ${root}`);
    expect(done).toContain("exit=0");
    expect(readdirSync(root).filter((name) => name.endsWith(".summary.md"))).toHaveLength(ITEMS);
  });
});

describe.skipIf(!TMUX && !MUST_RUN)("Ctrl-C while llmr waits in a terminal (tmux)", () => {
  it("stops waiting with exit 130 and says how to follow or cancel; the batch keeps running", async () => {
    const root = mkdtempSync(join(tmpdir(), "llmr-cli-tmux-"));
    for (let i = 0; i < ITEMS; i++) {
      writeFileSync(
        join(root, `doc-${i}.txt`),
        `${sampleDocument(`memo ${i}`)} [[sim latency_ms=${CALL_MS}]]`,
      );
    }
    const env = `LLMR_API_URL=${stack?.apiUrl} LLMR_API_KEY=${API_KEY} LLMR_POLL_INTERVAL_MS=200`;
    // The shell traps SIGINT so that it lives on to print the CLI's exit code, as a login shell would.
    const command = `trap : INT; cd ${REPO_ROOT} && env ${env} ${process.execPath} ${LLMR_BIN} batch submit ${root} --wait; echo "exit=$?"; sleep 600`;
    tmux("new-session", "-d", "-s", "interrupt", "-x", "120", "-y", "30", command);
    const pane = () => tmux("capture-pane", "-p", "-t", "interrupt");
    const until = async (test: (text: string) => boolean) => {
      const deadline = Date.now() + 30_000;
      while (!test(pane())) {
        if (Date.now() > deadline) throw new Error(`the pane shows:\n${pane()}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return pane();
    };

    const waiting = await until((text) => /\d+\/12 done/.test(text));
    const id = /submitted 12 items as (batch_\w+)/.exec(waiting)?.[1];
    expect(id).toBeDefined();
    tmux("send-keys", "-t", "interrupt", "C-c");

    const after = await until((text) => text.includes("exit="));
    expect(after).toContain(`llmr: stopped waiting; batch ${id} keeps running on the server.`);
    expect(after).toContain(`follow again: llmr batch status ${id} --wait`);
    expect(after).toContain(`cancel it:    llmr batch cancel ${id}`);
    expect(after).toContain("exit=130");

    // Not cancelled: every item still runs to the end.
    const headers = { authorization: `Bearer ${API_KEY}` };
    let batch: { status: string; counts: { succeeded: number; cancelled: number } } | undefined;
    const deadline = Date.now() + 30_000;
    while (batch?.status !== "completed" && Date.now() < deadline) {
      batch = (await (await fetch(`${stack?.apiUrl}/v1/batches/${id}`, { headers })).json()) as typeof batch;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(batch).toMatchObject({ status: "completed", counts: { succeeded: ITEMS, cancelled: 0 } });
  });
});
