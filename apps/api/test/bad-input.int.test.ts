import { Agent, request as httpRequest } from "node:http";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { PublicJob, RunningTierWorker } from "@llmr/core";
import {
  closeTierWorkers,
  JobEvents,
  JobStore,
  ProviderPool,
  RedisKeys,
  startTierWorkers,
  TierQueues,
} from "@llmr/core";
import type { RunningSimulator } from "@llmr/simulator";
import { simMarker, startSimulator } from "@llmr/simulator";
import { redisFixture } from "@llmr/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { badBodies } from "./bad-body-cases.ts";
import { badHeadersAndUrls } from "./bad-header-cases.ts";
import type { BadRequest } from "./bad-request.ts";
import { auth, json, KEY_A, KEY_B, OPERATOR, startTestApi } from "./start-test-api.ts";

/** Large enough for a response schema over its own 100,000-character bound to reach the schema. */
const BODY_LIMIT_BYTES = 128 * 1024;
const WARM_UP_REQUESTS = 2_000;
const FLOOD_REQUESTS = 10_000;
const FLOOD_CONCURRENCY = 16;
/** Heap growth allowed over the flood: a leak of even 3 KB per request would pass 30 MB. */
const MAX_HEAP_GROWTH_BYTES = 30 * 1024 * 1024;

// Ids are known only once the jobs exist: cases name them, `send` fills them in.
const OWN = "OWN_JOB_ID";
const OTHER = "OTHER_JOB_ID";
const cases = [...badBodies(BODY_LIMIT_BYTES), ...badHeadersAndUrls({ ownJobId: OWN, otherJobId: OTHER })];

const redis = redisFixture();
let simulator: RunningSimulator;
let api: Awaited<ReturnType<typeof startTestApi>>;
let workers: RunningTierWorker[];
let workerQueues: TierQueues;
const jobIds = { own: "", other: "" };
const floodAgent = new Agent({ keepAlive: true, maxSockets: FLOOD_CONCURRENCY });

/**
 * Scans captured log lines for secrets and lets them go, so the flood's heap is not the log's.
 * Also looks for secrets it was not told about: any Bearer/Basic value or `whsec_` secret.
 */
class LogAudit {
  readonly secrets = new Set<string>([KEY_A, KEY_B, OPERATOR]);
  readonly leaks: string[] = [];
  linesSeen = 0;
  redactedSeen = 0;

  drain(lines: string[]): void {
    for (const line of lines.splice(0)) {
      this.linesSeen++;
      if (line.includes('"[redacted]"')) this.redactedSeen++;
      const known = [...this.secrets].find((secret) => line.includes(secret));
      const unknown =
        /Bearer\s+(?!<key>|realm=)\S{8,}|Basic\s+[A-Za-z0-9+/=]{8,}|whsec_[A-Za-z0-9+/=]{8,}/i.exec(
          line,
        )?.[0];
      const leaked = known ?? unknown;
      if (leaked !== undefined && this.leaks.length < 5) {
        // Where it leaked, without repeating the whole secret in the test report.
        const at = line.indexOf(leaked);
        this.leaks.push(`${line.slice(Math.max(0, at - 120), at)}<${leaked.slice(0, 8)}…>`);
      }
    }
  }
}
const audit = new LogAudit();

beforeAll(async () => {
  simulator = await startSimulator({ port: 0, latencyScale: 0 });
  api = await startTestApi({
    redisUrl: redis.url,
    keyPrefix: redis.prefix,
    simulatorUrl: simulator.url,
    bodyLimitBytes: BODY_LIMIT_BYTES,
  });
  const connection = redis.connect();
  const keys = new RedisKeys(api.config.redis.keyPrefix);
  workerQueues = new TierQueues(connection, api.config);
  workers = startTierWorkers(connection, {
    config: api.config,
    store: new JobStore(connection, keys, { retentionSeconds: 60 }),
    queues: workerQueues,
    events: new JobEvents(connection, keys, { retentionSeconds: 60 }),
    providers: new ProviderPool(api.config),
  });
  jobIds.own = (await submit(KEY_A, { input: "Say hi" })).id;
  jobIds.other = (await submit(KEY_B, { input: "Say hi" })).id;

  // Put every kind of secret on the wire once, so the log audit has something to miss.
  for (const key of [KEY_A, KEY_B]) {
    await fetch(`${api.url}/v1/webhooks/secret/rotate`, { method: "POST", headers: auth(key) });
    const listed = await fetch(`${api.url}/v1/webhooks/secret`, { headers: auth(key) });
    for (const { secret } of ((await listed.json()) as { data: { secret: string }[] }).data) {
      audit.secrets.add(secret);
    }
  }
  const basic = `Basic ${Buffer.from(`ops:${OPERATOR}`).toString("base64")}`;
  for (const authorization of [`Bearer ${OPERATOR}`, basic]) {
    expect((await fetch(`${api.url}/admin/queues`, { headers: { authorization } })).status).toBe(200);
    audit.secrets.add(authorization.slice(authorization.indexOf(" ") + 1));
  }
  for (const { headers } of cases) {
    const token = headers.authorization?.split(/\s+/)[1];
    if (token && token.length >= 12) audit.secrets.add(token);
  }
});
afterAll(async () => {
  floodAgent.destroy();
  await closeTierWorkers(workers);
  await workerQueues.close();
  await api.close();
  await simulator.close();
});

async function submit(key: string, body: unknown): Promise<PublicJob> {
  const res = await fetch(`${api.url}/v1/jobs`, {
    method: "POST",
    headers: { ...auth(key), ...json },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(202);
  return (await res.json()) as PublicJob;
}

async function finished(key: string, id: string): Promise<PublicJob> {
  const res = await fetch(`${api.url}/v1/jobs/${id}?wait=20`, { headers: auth(key) });
  return (await res.json()) as PublicJob;
}

async function send(request: BadRequest): Promise<Response> {
  const path = request.path.replace(OWN, jobIds.own).replace(OTHER, jobIds.other);
  return fetch(`${api.url}${path}`, {
    method: request.method,
    headers: request.headers,
    ...(request.body === undefined ? {} : { body: request.body }),
  });
}

/**
 * `send` through node:http with keep-alive sockets, answering only the status: about half the CPU
 * of `fetch` per request, which matters when client and server share this one thread.
 */
function sendQuickly(request: BadRequest): Promise<number> {
  const { hostname, port } = new URL(api.url);
  const path = request.path.replace(OWN, jobIds.own).replace(OTHER, jobIds.other);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: hostname, port, path, method: request.method, headers: request.headers, agent: floodAgent },
      (res) => {
        res.resume();
        res.once("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.once("error", reject);
    req.end(request.body === undefined ? undefined : Buffer.from(request.body));
  });
}

/** What no message a person reads should hold: zod's wording, internals, placeholders. */
const INTERNALS =
  /Invalid input|Too (small|big)|expected \w+ to (be|have)|\bundefined\b|\[object |node_modules|\.ts:\d/;

describe("every bad request gets the contract's 4xx, the error envelope and a message a person can act on", () => {
  it.each(cases)("$name → $status", async (request) => {
    const res = await send(request);
    const text = await res.text();
    expect(res.status).toBe(request.status);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const body = JSON.parse(text) as { error: { type: string; message: string; param?: string } };
    expect(Object.keys(body)).toEqual(["error"]);
    expect(Object.keys(body.error).filter((key) => !["type", "message", "param"].includes(key))).toEqual([]);
    expect(body.error.type).toBe(request.type);
    expect(body.error.param).toBe(request.param);
    expect(body.error.message).toMatch(request.message);
    expect(body.error.message).not.toMatch(INTERNALS);
    expect(body.error.message.length).toBeLessThan(300);
  });
});

describe("odd but valid input", () => {
  it("accepts NUL bytes as text and runs the job to the end", async () => {
    const job = await submit(KEY_A, { messages: [{ role: "user", content: "Say hi\u0000 to a\u0000b" }] });
    expect((await finished(KEY_A, job.id)).status).toBe("succeeded");
  });

  it("accepts a body of exactly the limit, a lone surrogate escape and a leading BOM", async () => {
    const wrapper = JSON.stringify({ input: "" }).length;
    const words = "lorem ipsum dolor sit amet ".repeat(BODY_LIMIT_BYTES / 20);
    const exact = JSON.stringify({ input: words.slice(0, BODY_LIMIT_BYTES - wrapper) });
    expect(Buffer.byteLength(exact)).toBe(BODY_LIMIT_BYTES);
    for (const body of [exact, '{"input":"\\ud800 half a pair"}', '\uFEFF{"input":"x"}']) {
      const res = await fetch(`${api.url}/v1/jobs`, {
        method: "POST",
        headers: { ...auth(KEY_A), ...json },
        body,
      });
      expect(res.status).toBe(202);
    }
  });
});

describe("under a flood of bad requests", () => {
  it("memory stays flat over 10,000 of them, and another key's jobs in flight all finish", async ({
    annotate,
  }) => {
    const heapAfterGc = gcHeapMeter();
    const failures: string[] = [];
    const flood = async (total: number, halfway?: () => Promise<void>) => {
      let sent = 0;
      const lane = async () => {
        while (sent < total) {
          const n = sent++;
          if (n === total / 2) await halfway?.();
          const request = cases[n % cases.length] as BadRequest;
          const status = await sendQuickly(request);
          if (status !== request.status && failures.length < 10) failures.push(`${request.name}: ${status}`);
          if (n % 1_000 === 0) audit.drain(api.logLines);
        }
      };
      await Promise.all(Array.from({ length: FLOOD_CONCURRENCY }, lane));
      audit.drain(api.logLines);
    };

    await flood(WARM_UP_REQUESTS);
    const before = heapAfterGc();
    const started = Date.now();
    // Jobs of another key, running while the flood goes on; one carries NUL bytes.
    const slow = `${simMarker({ latency_ms: 300 })} Say hi`;
    const others = await Promise.all([
      ...Array.from({ length: 4 }, () => submit(KEY_B, { input: slow })),
      submit(KEY_B, { input: `${slow}\u0000` }),
    ]);
    await flood(FLOOD_REQUESTS, async () => {
      others.push(...(await Promise.all(Array.from({ length: 5 }, () => submit(KEY_B, { input: slow })))));
    });
    const floodEndedAt = Date.now();
    const after = heapAfterGc();
    const growthMb = (after.bytes - before.bytes) / 1024 / 1024;
    await annotate(
      `${FLOOD_REQUESTS} bad requests in ${Date.now() - started} ms; ${after.measure} ${(before.bytes / 1024 / 1024).toFixed(1)} MB → ${(after.bytes / 1024 / 1024).toFixed(1)} MB (${growthMb >= 0 ? "+" : ""}${growthMb.toFixed(1)} MB)`,
    );

    expect(failures).toEqual([]);
    // RSS moves with the allocator's mood, not only with live objects: a wider bound when that is all there is.
    const bound = after.measure === "RSS" ? 3 * MAX_HEAP_GROWTH_BYTES : MAX_HEAP_GROWTH_BYTES;
    expect(after.bytes - before.bytes).toBeLessThan(bound);
    expect(others).toHaveLength(10);
    const done = await Promise.all(others.map((job) => finished(KEY_B, job.id)));
    expect(done.map((job) => job.status)).toEqual(others.map(() => "succeeded"));
    // Not merely at last: each finished while the flood was still going on.
    for (const job of done) expect(Date.parse(job.finished_at ?? "")).toBeLessThan(floodEndedAt);
  }, 35_000);
});

describe("logs", () => {
  it("never hold an API key, the operator token, a webhook secret or an Authorization value", () => {
    audit.drain(api.logLines);
    expect(audit.linesSeen).toBeGreaterThan(WARM_UP_REQUESTS + FLOOD_REQUESTS);
    // The Authorization header did reach the logger, censored: the check above looked at real lines.
    expect(audit.redactedSeen).toBeGreaterThan(1_000);
    expect(audit.leaks).toEqual([]);
  });
});

/**
 * The process's heap after a full collection. `global.gc` is only there with --expose-gc, which
 * vitest's workers do not get; V8 can still be asked for it at run time. Without it, RSS (noisier).
 */
function gcHeapMeter(): () => { bytes: number; measure: string } {
  let gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) {
    setFlagsFromString("--expose-gc");
    gc = runInNewContext("gc") as (() => void) | undefined;
  }
  return () => {
    if (!gc) return { bytes: process.memoryUsage().rss, measure: "RSS" };
    gc();
    gc();
    return { bytes: process.memoryUsage().heapUsed, measure: "heap after GC" };
  };
}
