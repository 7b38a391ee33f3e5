/**
 * The mechanics check: a known mix of easy and hard prompts (the simulator's `[[sim difficulty=…]]`
 * marker decides which, with generated answers, not recorded ones) through the real system on a
 * router config (the shipped default unless told otherwise), and where each kind ended up. Easy
 * prompts should mostly stay on the first tier; hard ones should mostly escalate. This checks the
 * escalation machinery itself, independent of any replay data.
 */
import { randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_CONFIG_PATH } from "@llmr/config";
import { startRedis } from "@llmr/testing";
import { parse as parseYaml, stringify } from "yaml";
import { EvaluationError } from "./evaluation-error.ts";
import { type FinishedJob, type JobSubmission, runJobs } from "./job-client.ts";
import { startRouterProcesses, startSimulatorProcess } from "./router-processes.ts";

export type PromptKind = "easy" | "hard";

export interface MechanicsOptions {
  /** Prompts of each kind. @defaultValue 40 */
  perKind?: number;
  /** Jobs in flight. @defaultValue 16 */
  concurrency?: number;
  /** The router config to check. @defaultValue the shipped default config */
  routerConfigPath?: string;
  /** An existing Redis; otherwise one is started. */
  redisUrl?: string;
  /** Prefix of every Redis key of the check. @defaultValue `llmr-mechanics-<uuid>` */
  keyPrefix?: string;
  onProgress?: (line: string) => void;
}

export interface KindResult {
  kind: PromptKind;
  jobs: number;
  /** Final tier → jobs (`none` for jobs that ended without an answer). */
  finalTiers: Record<string, number>;
  /** Share of jobs answered on the tier they started on, without trying another. */
  stayedShare: number;
  escalatedShare: number;
  attemptsPerJob: number;
  /** Attempt outcome → count, over all attempts. */
  attemptOutcomes: Record<string, number>;
}

export interface MechanicsReport {
  startedAt: string;
  durationS: number;
  routerConfig: string;
  kinds: KindResult[];
  headline: string;
}

/** Plain questions without the words the default routing rules look for (compare, prove, code…). */
const questions = [
  "Name one reason to keep background work in a queue",
  "Say what a dead-letter queue is for",
  "Give a short tip for naming API keys",
  "Explain what a webhook is in one sentence",
  "Suggest a polite reply to a customer asking for a refund",
  "List two things a status page should show",
  "Describe what an idempotency key does",
  "Say why timeouts matter for remote calls",
];

/** The workload: `perKind` prompts of each kind, easy and hard interleaved. */
export function mechanicsWorkload(perKind: number): Array<{ kind: PromptKind; submission: JobSubmission }> {
  const workload: Array<{ kind: PromptKind; submission: JobSubmission }> = [];
  for (let index = 0; index < perKind; index++) {
    for (const kind of ["easy", "hard"] as const) {
      const question = questions[index % questions.length] as string;
      const content = `${question} (case ${index + 1}). [[sim difficulty=${kind}]]`;
      workload.push({ kind, submission: { messages: [{ role: "user", content }], task: "chat" } });
    }
  }
  return workload;
}

export function summarizeKind(kind: PromptKind, jobs: readonly FinishedJob[]): KindResult {
  const finalTiers: Record<string, number> = {};
  const attemptOutcomes: Record<string, number> = {};
  let stayed = 0;
  let escalated = 0;
  let attempts = 0;
  for (const job of jobs) {
    const finalTier = job.status === "succeeded" && job.result ? job.result.tier : "none";
    finalTiers[finalTier] = (finalTiers[finalTier] ?? 0) + 1;
    const moved = job.attempts.some((attempt) => attempt.tier !== job.routing.initial_tier);
    if (moved) escalated++;
    else if (finalTier === job.routing.initial_tier) stayed++;
    attempts += job.attempts.length;
    for (const attempt of job.attempts)
      attemptOutcomes[attempt.outcome] = (attemptOutcomes[attempt.outcome] ?? 0) + 1;
  }
  const share = (count: number) => (jobs.length === 0 ? 0 : count / jobs.length);
  return {
    kind,
    jobs: jobs.length,
    finalTiers,
    stayedShare: share(stayed),
    escalatedShare: share(escalated),
    attemptsPerJob: share(attempts),
    attemptOutcomes,
  };
}

export async function runMechanicsCheck(options: MechanicsOptions = {}): Promise<MechanicsReport> {
  const started = Date.now();
  const progress = options.onProgress ?? (() => undefined);
  const routerConfig = options.routerConfigPath ?? DEFAULT_CONFIG_PATH;
  const redis = options.redisUrl
    ? { url: options.redisUrl, stop: async () => undefined }
    : await startRedis({ onInfo: progress });
  const dir = await mkdtemp(join(tmpdir(), "llmr-mechanics-"));
  const cleanups: Array<() => Promise<void>> = [redis.stop, () => rm(dir, { recursive: true, force: true })];
  try {
    const simulator = await startSimulatorProcess({ latencyScale: 0 });
    cleanups.unshift(simulator.stop);
    const configPath = join(dir, "router.yaml");
    await writeFile(
      configPath,
      await withKeyPrefix(routerConfig, options.keyPrefix ?? `llmr-mechanics-${randomUUID()}`),
    );
    const router = await startRouterProcesses({
      redisUrl: redis.url,
      simulatorUrl: simulator.url,
      configPath,
    });
    cleanups.unshift(router.stop);

    const workload = mechanicsWorkload(options.perKind ?? 40);
    progress(`mechanics: ${workload.length} jobs on ${routerConfig}`);
    const jobs = await runJobs(
      router,
      workload.map((item) => item.submission),
      { concurrency: options.concurrency ?? 16 },
    );
    const kinds = (["easy", "hard"] as const).map((kind) =>
      summarizeKind(
        kind,
        jobs.filter((_job, index) => workload[index]?.kind === kind),
      ),
    );
    const [easy, hard] = kinds as [KindResult, KindResult];
    return {
      startedAt: new Date(started).toISOString(),
      durationS: (Date.now() - started) / 1000,
      routerConfig,
      kinds,
      headline:
        `mechanics: easy stayed on their first tier ${(easy.stayedShare * 100).toFixed(1)}%, ` +
        `hard escalated ${(hard.escalatedShare * 100).toFixed(1)}%`,
    };
  } finally {
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
  }
}

/** The config's YAML with its own Redis key prefix, so the check never touches other keys. */
async function withKeyPrefix(path: string, keyPrefix: string): Promise<string> {
  let document: unknown;
  try {
    document = parseYaml(await readFile(path, "utf8"));
  } catch (error) {
    throw new EvaluationError(`cannot read router config ${path}`, { cause: error });
  }
  if (typeof document !== "object" || document === null)
    throw new EvaluationError(`${path} is not a YAML mapping`);
  const config = document as Record<string, unknown>;
  const redis = typeof config.redis === "object" && config.redis !== null ? config.redis : {};
  return stringify({ ...config, redis: { ...redis, key_prefix: keyPrefix } });
}
