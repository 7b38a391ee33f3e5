/**
 * The simulator process's environment. Unset variables fall back to the YAML config file
 * (`SIMULATOR_CONFIG`) and then to the defaults noted here, so they carry no zod defaults themselves.
 */
import { z } from "zod";

const Env = z.object({
  /** Interface to listen on. Default 127.0.0.1: the simulator is for local use only. */
  SIMULATOR_HOST: z.string().min(1).optional(),
  /** Port to listen on. Default 4010. */
  SIMULATOR_PORT: z.coerce.number().int().min(0).max(65_535).optional(),
  /** Seed of every simulated decision. Default 42. */
  SIMULATOR_SEED: z.coerce.number().int().optional(),
  /** Multiplies all simulated latency; 0 answers instantly. Default 1. */
  SIMULATOR_LATENCY_SCALE: z.coerce.number().min(0).optional(),
  /** Replay mode: comma-separated JSONL files of recorded answers (replaces the config's `replay.files`). */
  SIMULATOR_REPLAY: z
    .string()
    .transform((value) =>
      value
        .split(",")
        .map((file) => file.trim())
        .filter(Boolean),
    )
    .optional(),
  /** Optional YAML file with `SimulatorOptions` (models, faults, apiKeys…). */
  SIMULATOR_CONFIG: z.string().min(1).optional(),
});

export type Env = z.infer<typeof Env>;

/** Empty strings count as unset, as a shell's `VAR=` usually means "no value". */
function withoutEmpty(source: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(source).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== "",
    ),
  );
}

function parseEnv(): Env {
  const result = Env.safeParse(withoutEmpty(process.env));
  if (!result.success) throw new Error(`invalid simulator environment:\n${z.prettifyError(result.error)}`);
  return result.data;
}

export const env: Env = parseEnv();

/** Defaults of the process entry (the library's own default port is 0, a random free one). */
export const processDefaults = { host: "127.0.0.1", port: 4010, seed: 42, latencyScale: 1 } as const;
