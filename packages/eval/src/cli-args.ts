/**
 * Command-line parsing shared by the evaluation scripts: `node:util` `parseArgs`, paths resolved from
 * the directory the user ran the command in (pnpm runs scripts in the package folder and passes
 * that directory as `INIT_CWD`), and `--` separators that pnpm may pass through dropped.
 */
import { isAbsolute, resolve } from "node:path";
import { EvaluationError } from "./evaluation-error.ts";

/** The arguments without `--` separators (`pnpm eval:routing -- file` passes one along). */
export function withoutSeparators(argv: readonly string[]): string[] {
  return argv.filter((arg) => arg !== "--");
}

/** A path as the user meant it: relative to where they ran the command. */
export function userPath(path: string, env: NodeJS.ProcessEnv = process.env): string {
  return isAbsolute(path) ? path : resolve(env.INIT_CWD ?? process.cwd(), path);
}

/** `"0.1,0.2"` → `[0.1, 0.2]`; `"none"` or `""` → `[]`. Every value must be in [0, 1]. */
export function parseThresholds(text: string): number[] {
  if (text.trim() === "" || text.trim() === "none") return [];
  return text.split(",").map((part) => {
    const value = Number(part.trim());
    if (part.trim() === "" || !Number.isFinite(value) || value < 0 || value > 1) {
      throw new EvaluationError(`--sweep: "${part}" is not a threshold in [0, 1]`);
    }
    return value;
  });
}

/** A positive integer option, or undefined when not given. */
export function parsePositiveInt(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new EvaluationError(`--${name}: "${text}" is not a positive integer`);
  return value;
}

/** A list of names: `"a,b"` → `["a", "b"]`. */
export function parseList(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  return text
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
}
