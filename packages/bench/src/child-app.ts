import type { AppProcess } from "@llmr/testing";
import { startAppProcess } from "@llmr/testing";

/** How to start a process under measurement. */
export interface ChildAppOptions {
  name: string;
  /** The script, relative to the repository root. */
  script: string;
  env: Record<string, string>;
  /** When set, the child writes a V8 CPU profile here on exit (`--cpu-prof`). */
  cpuProfDir?: string;
}

/** `node <script>` as a child process, profiled when `cpuProfDir` is given. */
export function startChildApp(options: ChildAppOptions): AppProcess {
  const nodeArgs =
    options.cpuProfDir === undefined ? [] : ["--cpu-prof", `--cpu-prof-dir=${options.cpuProfDir}`];
  return startAppProcess(options.name, options.env, { script: options.script, nodeArgs });
}

/** How to start a router worker process for a scenario. */
export interface WorkerChildOptions {
  /** @defaultValue "worker" */
  name?: string;
  redisUrl: string;
  configPath: string;
  simulatorUrl: string;
  /** Only this tier's queues (`WORKER_TIERS`); all tiers when absent. */
  tier?: string;
  cpuProfDir?: string | undefined;
}

/**
 * `apps/worker` as a child process with quiet logs: per-job lines would measure the pipe to this
 * process as much as the worker (readiness then comes from BullMQ's list of workers).
 */
export function startWorkerChild(options: WorkerChildOptions): AppProcess {
  return startChildApp({
    name: options.name ?? "worker",
    script: "apps/worker/src/main.ts",
    env: {
      REDIS_URL: options.redisUrl,
      ROUTER_CONFIG: options.configPath,
      SIMULATOR_URL: options.simulatorUrl,
      ...(options.tier === undefined ? {} : { WORKER_TIERS: options.tier }),
      LOG_LEVEL: "warn",
    },
    ...(options.cpuProfDir === undefined ? {} : { cpuProfDir: options.cpuProfDir }),
  });
}
