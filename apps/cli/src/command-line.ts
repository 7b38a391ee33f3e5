import type { ParseArgsOptionsConfig } from "node:util";
import { parseArgs } from "node:util";
import { UsageError } from "./exit-codes.ts";

/**
 * The command line, parsed with `node:util`'s `parseArgs` (strict: an unknown flag is a usage
 * error, exit 2). `llmr <group> <command> [positionals] [flags]`; the API flags work everywhere.
 */

/** The API default port is the API's own (apps/api/src/env.ts). */
export const DEFAULT_API_URL = "http://127.0.0.1:8080";

const GLOBAL_FLAGS = {
  "api-url": { type: "string" },
  "api-key": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** Each command's own flags and how many positionals it takes. */
export const COMMANDS = {
  "jobs submit": {
    positionals: 0,
    flags: {
      input: { type: "string" },
      file: { type: "string" },
      task: { type: "string" },
      class: { type: "string" },
      wait: { type: "boolean" },
      json: { type: "boolean" },
    },
  },
  "jobs get": { positionals: 1, flags: { json: { type: "boolean" } } },
  "jobs wait": { positionals: 1, flags: { json: { type: "boolean" } } },
  "batch submit": {
    positionals: 1,
    flags: {
      task: { type: "string" },
      "not-before": { type: "string" },
      "complete-by": { type: "string" },
      window: { type: "string" },
      wait: { type: "boolean" },
      out: { type: "string" },
    },
  },
  "batch status": { positionals: 1, flags: { wait: { type: "boolean" }, json: { type: "boolean" } } },
  "batch results": { positionals: 1, flags: { out: { type: "string" }, jsonl: { type: "string" } } },
  "batch cancel": { positionals: 1, flags: { json: { type: "boolean" } } },
} as const;
export type CommandName = keyof typeof COMMANDS;

export type FlagValues = Record<string, string | boolean | undefined>;

export type ParsedCommandLine =
  | { kind: "help"; command?: CommandName }
  | { kind: "command"; command: CommandName; args: string[]; flags: FlagValues };

/** Splits `argv` (without node and the script) into a command, its positionals and its flags. */
export function parseCommandLine(argv: readonly string[]): ParsedCommandLine {
  if (argv.length === 0 || argv[0] === "help") return { kind: "help" };
  // A first, lenient pass with every command's flags finds the command words wherever flags are.
  const allFlags: ParseArgsOptionsConfig = Object.assign(
    {},
    GLOBAL_FLAGS,
    ...Object.values(COMMANDS).map((spec) => spec.flags),
  );
  const loose = parseArgs({ args: [...argv], options: allFlags, allowPositionals: true, strict: false });
  const words = loose.positionals.slice(0, 2);
  if (words.length === 0 && loose.values.help) return { kind: "help" };
  const name = words.join(" ");
  if (!isCommand(name)) {
    const group = words[0];
    if (group === "jobs" || group === "batch")
      throw new UsageError(`unknown command "${name}"; try: ${commandsOf(group)}`);
    throw new UsageError(`unknown command "${name || argv[0]}"; try: llmr --help`);
  }
  const spec = COMMANDS[name];
  const options: ParseArgsOptionsConfig = { ...GLOBAL_FLAGS, ...spec.flags };
  let parsed: { values: FlagValues | Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: [...argv],
      options,
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(`${name}: ${(error as Error).message}`, { cause: error });
  }
  if (parsed.values.help) return { kind: "help", command: name };
  const args = parsed.positionals.slice(2);
  if (args.length !== spec.positionals) {
    const wanted = spec.positionals === 0 ? "no arguments" : `${spec.positionals} argument`;
    throw new UsageError(`${name} takes ${wanted} (got ${args.length}); see llmr ${name} --help`);
  }
  return { kind: "command", command: name, args, flags: parsed.values as FlagValues };
}

function isCommand(name: string): name is CommandName {
  return Object.hasOwn(COMMANDS, name);
}

function commandsOf(group: string): string {
  return Object.keys(COMMANDS)
    .filter((name) => name.startsWith(`${group} `))
    .map((name) => `llmr ${name}`)
    .join(", ");
}

/** The API to talk to: flags first, then `LLMR_API_URL` / `LLMR_API_KEY`, then the default URL. */
export function apiTarget(
  flags: FlagValues,
  env: NodeJS.ProcessEnv,
): { url: string; key: string | undefined } {
  const url = stringFlag(flags, "api-url") ?? env.LLMR_API_URL ?? DEFAULT_API_URL;
  if (!/^https?:\/\//.test(url))
    throw new UsageError(`--api-url / LLMR_API_URL must be an http(s) URL (got "${url}")`);
  return { url, key: stringFlag(flags, "api-key") ?? env.LLMR_API_KEY };
}

export function stringFlag(flags: FlagValues, name: string): string | undefined {
  const value = flags[name];
  return typeof value === "string" ? value : undefined;
}

/** An ISO-8601 date-time flag, checked here so a typo is exit 2 rather than the API's 400. */
export function instantFlag(flags: FlagValues, name: string): string | undefined {
  const value = stringFlag(flags, name);
  if (value === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value) || Number.isNaN(Date.parse(value)))
    throw new UsageError(
      `--${name} must be an ISO-8601 date and time, e.g. 2030-01-01T01:00:00Z (got "${value}")`,
    );
  return new Date(value).toISOString();
}
