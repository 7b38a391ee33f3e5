import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { JobObject } from "./api-types.ts";
import { TERMINAL_JOB_STATUSES } from "./api-types.ts";
import type { CliContext } from "./cli-context.ts";
import type { FlagValues } from "./command-line.ts";
import { stringFlag } from "./command-line.ts";
import { ExitCode, InterruptedError, isTransient, UsageError } from "./exit-codes.ts";
import { formatUsd } from "./progress-line.ts";

/**
 * Seconds each long poll may hold (the API's maximum is 60). The answer still comes the moment the
 * job finishes; a short hold lets a job summarizing a long input in parts say how far it is.
 */
const LONG_POLL_S = 5;

/** `llmr jobs submit`: prints the job id, or with --wait the answer. */
export async function jobsSubmit(ctx: CliContext, _args: string[], flags: FlagValues): Promise<number> {
  const input = stringFlag(flags, "input");
  const file = stringFlag(flags, "file");
  if ((input === undefined) === (file === undefined))
    throw new UsageError("jobs submit: give the text with --input TEXT or --file F (one of them)");
  const jobClass = stringFlag(flags, "class");
  if (jobClass !== undefined && jobClass !== "interactive" && jobClass !== "batch")
    throw new UsageError(`--class must be interactive or batch (got "${jobClass}")`);
  const text =
    input ??
    (await readFile(resolve(ctx.cwd, file ?? ""), "utf8").catch(() => {
      throw new UsageError(`--file ${file}: cannot read it`);
    }));
  const request: Record<string, unknown> = { input: text };
  const task = stringFlag(flags, "task");
  if (task) request.task = task;
  if (jobClass) request.class = jobClass;
  const job = await ctx.client.submitJob(request);
  if (!flags.wait) {
    ctx.stdout.write(flags.json ? `${JSON.stringify(job, null, 2)}\n` : `${job.id}\n`);
    return ExitCode.ok;
  }
  ctx.stderr.write(`submitted ${job.id}; waiting (Ctrl-C stops waiting, not the job)\n`);
  return printOutcome(ctx, await waitForJob(ctx, job.id), flags);
}

/** `llmr jobs get <id>`: the job object as JSON (exit 0 whatever its status). */
export async function jobsGet(ctx: CliContext, [id = ""]: string[], _flags: FlagValues): Promise<number> {
  const job = await ctx.client.getJob(id);
  ctx.stdout.write(`${JSON.stringify(job, null, 2)}\n`);
  return ExitCode.ok;
}

/** `llmr jobs wait <id>`: long-polls until the job finishes, then prints its answer. */
export async function jobsWait(ctx: CliContext, [id = ""]: string[], flags: FlagValues): Promise<number> {
  return printOutcome(ctx, await waitForJob(ctx, id), flags);
}

/**
 * Long-polls `GET /v1/jobs/{id}?wait=5` until the job is finished, riding out short outages. For a
 * job summarizing a long input in parts, each change of its progress is one line on stderr.
 */
async function waitForJob(ctx: CliContext, id: string): Promise<JobObject> {
  let failures = 0;
  let told = "";
  for (;;) {
    try {
      const job = await ctx.client.getJob(id, LONG_POLL_S);
      failures = 0;
      if (TERMINAL_JOB_STATUSES.has(job.status)) return job;
      const note = job.progress ? progressNote(job.progress) : "";
      if (note && note !== told) ctx.stderr.write(`${note}\n`);
      told = note || told;
    } catch (error) {
      if (error instanceof InterruptedError) {
        throw new InterruptedError(
          `stopped waiting; job ${id} keeps running on the server.\n  follow again: llmr jobs wait ${id}`,
        );
      }
      // A restart of the API: try again a few times, a second apart, before giving up.
      if (!isTransient(error) || ++failures > 30) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

/** How far a job summarizing a long input in parts is, in words. */
export function progressNote(progress: NonNullable<JobObject["progress"]>): string {
  if (progress.phase === "reduce") return `combining the summaries of ${progress.chunks_total} parts`;
  const round = progress.round > 1 ? ` (round ${progress.round}: summaries of summaries)` : "";
  return `summarizing in parts: ${progress.chunks_done}/${progress.chunks_total} done${round}`;
}

/** Succeeded: the answer on stdout (exit 0); failed: the error on stderr (1); cancelled: 5. */
function printOutcome(ctx: CliContext, job: JobObject, flags: FlagValues): number {
  if (flags.json) ctx.stdout.write(`${JSON.stringify(job, null, 2)}\n`);
  if (job.status === "succeeded") {
    if (!flags.json) {
      const text = job.result?.output_text ?? JSON.stringify(job.result?.output_json ?? null);
      ctx.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
    }
    ctx.stderr.write(`job ${job.id} succeeded on ${job.tier ?? "?"} · ${formatUsd(job.cost_usd)}\n`);
    return ExitCode.ok;
  }
  if (job.status === "cancelled") {
    ctx.stderr.write(`job ${job.id} was cancelled\n`);
    return ExitCode.cancelled;
  }
  ctx.stderr.write(
    `job ${job.id} failed: ${job.error?.type ?? "error"}: ${job.error?.message ?? "no message"}\n`,
  );
  return ExitCode.failed;
}
