/**
 * `npm start`: Redis, the provider simulator (when a vendor key is missing), the API and the
 * worker, with prefixed output, a banner once both are ready, and an orderly stop on Ctrl-C:
 * API and worker first (they finish what they hold), then the simulator, then Redis (which
 * flushes its append-only file). If any process dies, everything stops and the exit code is 1.
 *
 * Environment (all optional):
 *   REDIS_URL            use this Redis instead of starting one
 *   REDIS_PORT           port of the Redis we start (6379; a free one if busy)
 *   PORT                 API port (8080)
 *   SIMULATOR_PORT       simulator port (4010; a free one if busy)
 *   WORKER_METRICS_PORT  the worker's HTTP server: /healthz, /readyz, /metrics (9464; a free one if busy)
 *   OPENAI_API_KEY, ANTHROPIC_API_KEY   real vendors; the simulator stands in for a missing one
 *   LLMR_API_KEYS        `name:key,…`; default: a generated dev key
 *   LLMR_OPERATOR_TOKEN  dashboard login (/admin/login); default: a generated token
 *   ROUTER_CONFIG, LOG_LEVEL            passed to the API and the worker
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { findFreePort, isPortFree } from "../packages/testing/src/free-port.ts";
import { renderBanner } from "./stack/banner.ts";
import { loadOrCreateDevCredentials } from "./stack/dev-credentials.ts";
import { createLinePrinter } from "./stack/log-lines.ts";
import { type ChildExit, describeExit, type ManagedChild, startManagedChild } from "./stack/managed-child.ts";
import { type StackRedis, startStackRedis } from "./stack/stack-redis.ts";
import { waitForHttp } from "./stack/wait-for-http.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const EXIT_WITH_PARENT = new URL("./stack/exit-with-parent.ts", import.meta.url).href;
const CREDENTIALS_FILE = ".data/dev-credentials.json";
/** How long API, worker and simulator get to stop after SIGTERM before SIGKILL: a bit more than the
 * worker's own 30 s grace for calls in flight. */
const STOP_GRACE_MS = 35_000;
const READY_TIMEOUT_MS = 60_000;

const print = createLinePrinter({ names: ["stack", "redis", "simulator", "api", "worker"] });
const say = (message: string) => print("stack", message);

interface Stack {
  /** Set as soon as Redis starts starting, so a stop during startup still waits for it and stops it. */
  redis?: Promise<StackRedis>;
  simulator?: ManagedChild;
  api?: ManagedChild;
  worker?: ManagedChild;
}
const stack: Stack = {};
let stopping: Promise<void> | undefined;
const isStopping = () => stopping !== undefined;

function startNode(
  name: "simulator" | "api" | "worker",
  entry: string,
  env: NodeJS.ProcessEnv,
): ManagedChild {
  // Never start a process once stopping began: nothing would stop it again.
  if (stopping) throw new StoppingError();
  const child = startManagedChild({
    name,
    command: process.execPath,
    args: ["--import", EXIT_WITH_PARENT, entry],
    parentPipe: true,
    env,
    cwd: ROOT,
    onLine: (line) => print(name, line),
  });
  stack[name] = child;
  void child.exited.then((exit) => died(name, exit));
  return child;
}

class StoppingError extends Error {
  override readonly name = "StoppingError";
}

function died(name: string, exit: ChildExit): void {
  if (stopping) return;
  say(`${name} ${describeExit(exit)} unexpectedly; stopping everything`);
  void stop(1);
}

/** Stops in dependency order and exits; concurrent calls share the first one. */
function stop(exitCode: number): Promise<void> {
  stopping ??= (async () => {
    const { api, worker, simulator } = stack;
    const redis = await stack.redis?.catch(() => undefined);
    if (api || worker) say("stopping api and worker…");
    await Promise.all([api?.stop(STOP_GRACE_MS), worker?.stop(STOP_GRACE_MS)]);
    if (simulator) say("stopping simulator…");
    await simulator?.stop(STOP_GRACE_MS);
    if (redis) say("stopping redis…");
    await redis?.stop();
    say("stopped");
    process.exit(exitCode);
  })();
  return stopping;
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    // A terminal's Ctrl-C and npm's forwarding of it arrive together: one stop is enough.
    if (stopping) return;
    say(`${signal}: stopping`);
    void stop(0);
  });
}

async function choosePort(name: string, wanted: number): Promise<number> {
  if (await isPortFree(wanted)) return wanted;
  const port = await findFreePort();
  say(`port ${wanted} is busy; the ${name} uses port ${port} instead`);
  return port;
}

async function main(): Promise<void> {
  const env = process.env;
  const apiPort = Number(env.PORT ?? 8080);
  if (!(await isPortFree(apiPort))) {
    throw new Error(`port ${apiPort} is busy (an earlier npm start still running?). Free it or set PORT=…`);
  }

  stack.redis = startStackRedis({ env, root: ROOT, output: (line) => print("redis", line), say });
  const redis = await stack.redis;
  if (stopping) return;
  void redis.exited.then((exit) => died("redis", exit));
  say(`redis: ${redis.description}`);

  const missingKeys = ["OPENAI_API_KEY", "ANTHROPIC_API_KEY"].filter((name) => !env[name]);
  let simulatorUrl = env.SIMULATOR_URL;
  if (missingKeys.length > 0) {
    const port = await choosePort("simulator", Number(env.SIMULATOR_PORT ?? 4010));
    simulatorUrl = `http://127.0.0.1:${port}`;
    say(
      `simulator: ${missingKeys.join(" and ")} not set, so those calls go to the simulator on ${simulatorUrl}`,
    );
    startNode("simulator", "apps/simulator/src/main.ts", { ...env, SIMULATOR_PORT: String(port) });
    // Any HTTP answer will do: the simulator has no readiness route, it is ready once it listens.
    const listening = await waitForHttp(simulatorUrl, { timeoutMs: READY_TIMEOUT_MS, abort: isStopping });
    if (!listening) return;
  } else {
    say("simulator: not started (OPENAI_API_KEY and ANTHROPIC_API_KEY are set: real vendors)");
  }

  const credentials = loadOrCreateDevCredentials(join(ROOT, CREDENTIALS_FILE));
  if (credentials.created) say(`created a dev API key and operator token in ${CREDENTIALS_FILE}`);
  const apiKeys = env.LLMR_API_KEYS || `${credentials.apiKeyName}:${credentials.apiKey}`;
  const operatorToken = env.LLMR_OPERATOR_TOKEN || credentials.operatorToken;
  const shared = {
    ...env,
    REDIS_URL: redis.url,
    ...(simulatorUrl ? { SIMULATOR_URL: simulatorUrl } : {}),
    LLMR_API_KEYS: apiKeys,
    LLMR_OPERATOR_TOKEN: operatorToken,
  };
  // The worker's health and metrics, on loopback like the API; its /metrics takes the same
  // operator token as the API's, which the banner prints.
  const workerPort = await choosePort("worker's HTTP server", Number(env.WORKER_METRICS_PORT) || 9464);
  const workerEnv: NodeJS.ProcessEnv = { ...shared, WORKER_METRICS_PORT: String(workerPort) };
  // An inherited PORT is the API's, not the worker's.
  delete workerEnv.PORT;
  startNode("api", "apps/api/src/main.ts", { ...shared, PORT: String(apiPort) });
  startNode("worker", "apps/worker/src/main.ts", workerEnv);

  const apiUrl = `http://localhost:${apiPort}`;
  const workerUrl = `http://localhost:${workerPort}`;
  // Ready when the API can store jobs and the worker takes them.
  const ready = await Promise.all(
    [`http://127.0.0.1:${apiPort}/readyz`, `http://127.0.0.1:${workerPort}/readyz`].map((url) =>
      waitForHttp(url, { ready: (status) => status === 200, timeoutMs: READY_TIMEOUT_MS, abort: isStopping }),
    ),
  );
  if (!ready.every(Boolean)) return;
  const vendors = [
    `openai: ${env.OPENAI_API_KEY ? "real" : "simulated"}`,
    `anthropic: ${env.ANTHROPIC_API_KEY ? "real" : "simulated"}`,
  ];
  process.stdout.write(
    renderBanner({
      apiUrl,
      workerUrl,
      apiKey: env.LLMR_API_KEYS ? undefined : credentials.apiKey,
      operatorToken: env.LLMR_OPERATOR_TOKEN ? undefined : credentials.operatorToken,
      credentialsFile: CREDENTIALS_FILE,
      providers: vendors.join(", "),
      redis: redis.description,
    }),
  );
}

main().catch((error: unknown) => {
  if (error instanceof StoppingError || stopping) return;
  // The first line is enough: a process's own output, if any, was printed as it came.
  say(`could not start: ${(error instanceof Error ? error.message : String(error)).split("\n")[0]}`);
  void stop(1);
});
