import type { ConfigIssue } from "./config-error.ts";
import { formatPath } from "./config-error.ts";

// `${NAME}` or `${NAME:-fallback}`; `$${` escapes a literal `${`.
const PLACEHOLDER = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Replaces `${VAR}` and `${VAR:-default}` in every string of a parsed YAML tree, so one file can
 * point at different hosts per environment. A variable that is unset and has no default is an
 * issue at the path of the string that used it.
 */
export function interpolateEnv(
  value: unknown,
  env: Readonly<Record<string, string | undefined>>,
  issues: ConfigIssue[],
  path: PropertyKey[] = [],
): unknown {
  if (typeof value === "string") {
    return value.replace(PLACEHOLDER, (match, name: string | undefined, fallback: string | undefined) => {
      if (match === "$${") return "${";
      const found = name === undefined ? undefined : env[name];
      if (found !== undefined && found !== "") return found;
      if (fallback !== undefined) return fallback;
      issues.push({
        path: formatPath(path),
        message: `environment variable ${name} is not set (and has no default)`,
      });
      return "";
    });
  }
  if (Array.isArray(value))
    return value.map((item, index) => interpolateEnv(item, env, issues, [...path, index]));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value))
      out[key] = interpolateEnv(item, env, issues, [...path, key]);
    return out;
  }
  return value;
}
