import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseDocument } from "yaml";
import type { ConfigIssue } from "./config-error.ts";
import { ConfigError, formatPath } from "./config-error.ts";
import { interpolateEnv } from "./interpolate-env.ts";
import type { ResolveOptions } from "./resolve-config.ts";
import { resolveConfig } from "./resolve-config.ts";
import type { RouterConfig } from "./router-config.ts";
import { RouterConfigSchema } from "./schema.ts";

/** The config shipped with the router: real OpenAI and Anthropic models, simulated when their keys are unset. */
export const DEFAULT_CONFIG_PATH = fileURLToPath(new URL("../router.default.yaml", import.meta.url));

export interface LoadConfigOptions extends ResolveOptions {
  /** Environment for `${VAR}` placeholders and API keys. @defaultValue process.env */
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Loads the config named by `ROUTER_CONFIG` (or the default), validates it and resolves it.
 * Throws `ConfigError` listing every problem by path.
 *
 * @example
 * const config = loadConfig(process.env.ROUTER_CONFIG);
 */
export function loadConfig(path: string | undefined, options: LoadConfigOptions = {}): RouterConfig {
  const file = path && path.length > 0 ? path : DEFAULT_CONFIG_PATH;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "file not found" : String(error);
    throw new ConfigError(file, [{ path: "", message: reason }], { cause: error });
  }
  return parseConfig(text, file, options);
}

/** Validates a config given as YAML text. `source` names it in error messages. */
export function parseConfig(
  text: string,
  source = "<inline>",
  options: LoadConfigOptions = {},
): RouterConfig {
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new ConfigError(
      source,
      document.errors.map((error) => ({ path: "", message: error.message.split("\n")[0] ?? error.message })),
    );
  }
  return validateConfig(document.toJS(), source, options);
}

/** Validates an already-parsed config object (e.g. built in a test). */
export function validateConfig(
  raw: unknown,
  source = "<inline>",
  options: LoadConfigOptions = {},
): RouterConfig {
  const env = options.env ?? process.env;
  const issues: ConfigIssue[] = [];
  const interpolated = interpolateEnv(raw, env, issues);
  if (issues.length > 0) throw new ConfigError(source, issues);

  const parsed = RouterConfigSchema.safeParse(interpolated);
  if (!parsed.success) {
    throw new ConfigError(
      source,
      parsed.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message })),
      { cause: parsed.error },
    );
  }
  const resolved = resolveConfig(parsed.data, env, source, options);
  if (resolved.config === undefined) throw new ConfigError(source, resolved.issues);
  return resolved.config;
}
