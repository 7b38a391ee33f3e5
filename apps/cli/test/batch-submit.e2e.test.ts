import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { simMarker } from "@llmr/simulator";
import { findFreePort, REPO_ROOT, redisFixture, sectionedReport } from "@llmr/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliStack } from "./cli-stack.ts";
import { LLMR_BIN, runLlmr, sampleDocument, startCliStack } from "./cli-stack.ts";

const API_KEY = "llmr_e2e_cli_0123456789abcdef0123456789ab";
const redis = redisFixture();
let stack: CliStack;
let env: Record<string, string>;

beforeAll(async () => {
  stack = await startCliStack(redis, API_KEY);
  env = { LLMR_API_URL: stack.apiUrl, LLMR_API_KEY: API_KEY, LLMR_POLL_INTERVAL_MS: "200" };
});

afterAll(async () => {
  await stack?.stop();
});

function docs(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "llmr-cli-e2e-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(root, name, ".."), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}

describe("llmr batch submit <folder> --task summarize --wait, against the API, worker and simulator processes", () => {
  it("writes <name>.summary.md next to each input and exits 0 when every item succeeded", async () => {
    const root = docs({
      "alpha.txt": sampleDocument("alpha"),
      "beta.md": sampleDocument("beta"),
      "sub/gamma.txt": sampleDocument("gamma"),
    });
    const run = await runLlmr(["batch", "submit", root, "--task", "summarize", "--wait"], env);
    expect(run.code, run.stderr).toBe(0);

    const id = run.stdout.trim();
    expect(id).toMatch(/^batch_/);
    expect(run.stderr).toContain(`submitted 3 items as ${id}`);
    expect(run.stderr).toMatch(new RegExp(`batch ${id} completed: 3 succeeded, 0 failed of 3 · \\$`));
    expect(run.stderr).toContain(`wrote 3 results to ${root}`);
    // Not a terminal: plain progress lines, no escape codes, and never the key.
    expect(run.stderr).toMatch(/3\/3 done · 0 failed · \$[\d.]+ · ETA/);
    expect(run.stderr + run.stdout).not.toContain("\x1b");
    expect(run.stderr + run.stdout).not.toContain(API_KEY);

    for (const [summary, topic] of [
      ["alpha.summary.md", "alpha"],
      ["beta.summary.md", "beta"],
      ["sub/gamma.summary.md", "gamma"],
    ]) {
      const text = readFileSync(join(root, summary ?? ""), "utf8");
      expect(text.trim().length, summary).toBeGreaterThan(0);
      expect(text, summary).toContain(topic ?? "");
    }

    // The same results again, as JSONL on stdout, in item order.
    const results = await runLlmr(["batch", "results", id], env);
    expect(results.code).toBe(0);
    const lines = results.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { custom_id: string; status: string });
    expect(lines.map((line) => [line.custom_id, line.status])).toEqual([
      ["alpha.txt", "succeeded"],
      ["beta.md", "succeeded"],
      ["sub/gamma.txt", "succeeded"],
    ]);
  });

  it("exits 1 when an item fails, writes the others into --out DIR and names the failed one", async () => {
    const root = docs({
      "good.txt": sampleDocument("good"),
      "bad.txt": `${sampleDocument("bad")} [[sim fault=400]]`,
    });
    const out = join(root, "summaries");
    const run = await runLlmr(["batch", "submit", root, "--wait", "--out", out], env);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/completed: 1 succeeded, 1 failed of 2/);
    expect(run.stderr).toMatch(/failed: bad\.txt: /);
    expect(readdirSync(out)).toEqual(["good.summary.md"]);
    expect(readdirSync(root).sort()).toEqual(["bad.txt", "good.txt", "summaries"]);
  });

  it("a .jsonl input: results as <file>.results.jsonl; status and cancel of a finished batch", async () => {
    const root = docs({
      "items.jsonl": `${JSON.stringify({ custom_id: "q1", input: "Name three primary colours." })}\n`,
    });
    const run = await runLlmr(["batch", "submit", join(root, "items.jsonl"), "--wait"], env);
    expect(run.code, run.stderr).toBe(0);
    const [line] = readFileSync(join(root, "items.results.jsonl"), "utf8").trim().split("\n");
    expect(JSON.parse(line ?? "")).toMatchObject({ custom_id: "q1", status: "succeeded" });

    const id = run.stdout.trim();
    const status = await runLlmr(["batch", "status", id], env);
    expect(status).toMatchObject({ code: 0 });
    expect(status.stdout).toMatch(new RegExp(`^${id} completed: 1 succeeded, 0 failed`));
    // Cancelling a finished batch is the API's 409: shown with its type and message, exit 3.
    const cancel = await runLlmr(["batch", "cancel", id], env);
    expect(cancel.code).toBe(3);
    expect(cancel.stderr).toMatch(/^llmr: API error 409 conflict_error: /);
  });

  it("--window: a batch for a later window does not start; cancelled, its status --wait and results exit 5", async () => {
    const startHour = (new Date().getUTCHours() + 2) % 24;
    const hh = (hour: number) => String(hour).padStart(2, "0");
    const window = `${hh(startHour)}:00-${hh((startHour + 1) % 24)}:00@UTC`;
    const root = docs({ "later.txt": sampleDocument("later") });
    const run = await runLlmr(["batch", "submit", root, "--window", window], env);
    expect(run.code, run.stderr).toBe(0);
    const id = run.stdout.trim();
    expect(run.stderr).toMatch(
      new RegExp(`submitted 1 items as ${id} \\(starts \\d{4}-\\d\\d-\\d\\dT${hh(startHour)}:00:00`),
    );
    expect(run.stderr).toContain(`follow: llmr batch status ${id} --wait`);

    const status = await runLlmr(["batch", "status", id, "--json"], env);
    const batch = JSON.parse(status.stdout) as { status: string; not_before: string; complete_by: string };
    expect(batch.status).toBe("queued");
    expect(Date.parse(batch.complete_by) - Date.parse(batch.not_before)).toBe(3_600_000);
    expect(Date.parse(batch.not_before)).toBeGreaterThan(Date.now());

    const cancel = await runLlmr(["batch", "cancel", id], env);
    expect(cancel.code, cancel.stderr).toBe(0);
    expect(cancel.stdout).toMatch(new RegExp(`^${id} cancelled: 0 succeeded, 0 failed, 1 cancelled`));
    expect((await runLlmr(["batch", "status", id, "--wait"], env)).code).toBe(5);
    const results = await runLlmr(["batch", "results", id, "--out", join(root, "out")], env);
    expect(results.code, results.stderr).toBe(5);
    expect(results.stderr).toContain("failed: later.txt: ");
  });

  it("a .jsonl line the API refuses: its 400 names the line and field, exit 3", async () => {
    const root = docs({ "items.jsonl": '{"custom_id":"ok","input":"Hi"}\n{"custom_id":"bad","input":42}\n' });
    const run = await runLlmr(["batch", "submit", join(root, "items.jsonl")], env);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(
      /^llmr: API error 400 invalid_request_error: line 2: input: must be a string.*\(param: line 2: input\)$/m,
    );
    expect(run.stdout).toBe("");
  });

  it("a document over the API's line limit (1 MiB): the 400 names its file, exit 3", async () => {
    const root = docs({ "a.txt": sampleDocument("a"), "huge.txt": "word ".repeat(300_000) });
    const run = await runLlmr(["batch", "submit", root], env);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^llmr: API error 400 invalid_request_error: .*"huge\.txt"/m);
  });

  it("--wait rides out a restart of the API (a short outage) and still writes every result, exit 0", async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 8; i++)
      files[`doc-${i}.txt`] = `${sampleDocument(`item ${i}`)} [[sim latency_ms=1000]]`;
    const root = docs(files);
    const child = spawn(process.execPath, [`${REPO_ROOT}/${LLMR_BIN}`, "batch", "submit", root, "--wait"], {
      env: { PATH: process.env.PATH ?? "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once("close", resolve));
    // Restart once the CLI is waiting (its first progress line), while the items still run.
    const deadline = Date.now() + 20_000;
    while (!/\d+\/8 done/.test(stderr) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await stack.restartApi();
    expect(await exited, stderr).toBe(0);
    expect(stderr).toMatch(/cannot reach the API at http:\S+: ECONNREFUSED; retrying for up to 60 s/);
    expect(stderr).toMatch(/completed: 8 succeeded, 0 failed of 8/);
    expect(readdirSync(root).filter((name) => name.endsWith(".summary.md"))).toHaveLength(8);
  });

  it("jobs submit prints the id; jobs wait long-polls it to the answer; jobs get shows the object", async () => {
    const submitted = await runLlmr(["jobs", "submit", "--input", "Name a colour.", "--class", "batch"], env);
    expect(submitted.code, submitted.stderr).toBe(0);
    const id = submitted.stdout.trim();
    expect(id).toMatch(/^job_/);
    const waited = await runLlmr(["jobs", "wait", id], env);
    expect(waited.code, waited.stderr).toBe(0);
    expect(waited.stdout.trim().length).toBeGreaterThan(0);
    const got = await runLlmr(["jobs", "get", id], env);
    expect(JSON.parse(got.stdout)).toMatchObject({ id, object: "job", status: "succeeded", class: "batch" });
  });

  it("jobs submit --wait on a long document says how far its parts are, then prints the combined summary", async () => {
    // About 7,000 tokens (over the shipped chunk_tokens of 6,000): two parts, each call 6 s, longer
    // than one long poll (5 s), so the wait sees the parts under way.
    const file = join(mkdtempSync(join(tmpdir(), "llmr-cli-long-")), "long.txt");
    const slow = Object.fromEntries(
      Array.from({ length: 70 }, (_, i) => [i, `${simMarker({ latency_ms: 6_000 })} `]),
    );
    writeFileSync(file, sectionedReport(70, slow));
    const run = await runLlmr(["jobs", "submit", "--file", file, "--task", "summarize", "--wait"], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^(summarizing in parts: [0-2]\/2 done|combining the summaries of 2 parts)$/m);
    expect(run.stdout).toMatch(/^Section 0 reports that milestone 0 was reached on time\./);
  });

  it("jobs submit --wait prints the answer; API and usage errors have their exit codes", async () => {
    const job = await runLlmr(["jobs", "submit", "--input", "Name three primary colours.", "--wait"], env);
    expect(job.code, job.stderr).toBe(0);
    expect(job.stdout.trim().length).toBeGreaterThan(0);
    expect(job.stderr).toMatch(/^job job_\S+ succeeded on \S+ · \$/m);

    const badKey = await runLlmr(["batch", "status", "batch_nope"], {
      ...env,
      LLMR_API_KEY: "llmr_wrong_key_0123456789",
    });
    expect(badKey.code).toBe(3);
    expect(badKey.stderr).toMatch(/API error 401 authentication_error/);
    expect(badKey.stderr).not.toContain("llmr_wrong_key_0123456789");

    const unknown = await runLlmr(["batch", "status", "batch_nope"], env);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toMatch(/API error 404 not_found_error/);

    const invalid = await runLlmr(["jobs", "submit", "--input", "hi", "--task", "no-such-task"], env);
    expect(invalid.code).toBe(3);
    expect(invalid.stderr).toMatch(/API error 400 invalid_request_error: .*\(param: task\)/);

    expect((await runLlmr(["batch", "frobnicate"], env)).code).toBe(2);
    const nobody = `http://127.0.0.1:${await findFreePort()}`;
    const down = await runLlmr(["jobs", "get", "job_x"], { ...env, LLMR_API_URL: nobody });
    expect(down.code).toBe(4);
    expect(down.stderr).toContain(`cannot reach the API at ${nobody}: ECONNREFUSED`);
  });
});
