/**
 * Process entry: `node apps/simulator/src/main.ts`. Reads the environment and optional YAML config,
 * starts the simulator, logs one JSON line that says SIMULATOR, and closes cleanly on SIGINT/SIGTERM.
 */
import { readFile } from "node:fs/promises";
import { dirname, resolve as resolvePath } from "node:path";
import { parse as parseYaml } from "yaml";
import { env, processDefaults } from "./env.ts";
import type { SimulatorOptions } from "./options.ts";
import { startSimulator } from "./server.ts";

async function loadConfig(path: string | undefined): Promise<SimulatorOptions> {
  if (path === undefined) return {};
  const parsed: unknown = parseYaml(await readFile(path, "utf8"));
  // startSimulator validates the options; an empty file is no options.
  const options = (parsed ?? {}) as SimulatorOptions;
  // Replay files named in the config are relative to the config file, as a reader of it expects.
  const files = options.replay?.files;
  if (!Array.isArray(files)) return options;
  return { ...options, replay: { files: files.map((file) => resolvePath(dirname(path), String(file))) } };
}

const fileOptions = await loadConfig(env.SIMULATOR_CONFIG);
const simulator = await startSimulator({
  ...fileOptions,
  host: env.SIMULATOR_HOST ?? fileOptions.host ?? processDefaults.host,
  port: env.SIMULATOR_PORT ?? fileOptions.port ?? processDefaults.port,
  seed: env.SIMULATOR_SEED ?? fileOptions.seed ?? processDefaults.seed,
  latencyScale: env.SIMULATOR_LATENCY_SCALE ?? fileOptions.latencyScale ?? processDefaults.latencyScale,
  replay: env.SIMULATOR_REPLAY?.length ? { files: env.SIMULATOR_REPLAY } : fileOptions.replay,
});

console.log(
  JSON.stringify({
    level: "info",
    msg: `LLM provider SIMULATOR listening on ${simulator.url} (not a real vendor: answers are simulated)`,
    simulator: true,
    url: simulator.url,
    openaiBaseUrl: `${simulator.url}/v1`,
    anthropicBaseUrl: simulator.url,
    config: env.SIMULATOR_CONFIG ?? null,
    replay: simulator.replay ?? null,
  }),
);

let stopping = false;
async function stop(signal: NodeJS.Signals): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(JSON.stringify({ level: "info", msg: `SIMULATOR stopping on ${signal}`, simulator: true }));
  await simulator.close();
  process.exit(0);
}
process.on("SIGINT", (signal) => void stop(signal));
process.on("SIGTERM", (signal) => void stop(signal));
