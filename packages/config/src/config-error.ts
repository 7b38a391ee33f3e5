/** One problem in a config document, located by its path (`tiers[1].deployments[0].model`). */
export interface ConfigIssue {
  path: string;
  message: string;
}

/**
 * The config cannot be used. The message lists every problem, one per line, as
 * `path: problem`, so a start-up failure reads like a compiler error, never like a stack trace.
 */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly issues: readonly ConfigIssue[];
  readonly source: string;

  constructor(source: string, issues: readonly ConfigIssue[], options?: { cause?: unknown }) {
    const lines = issues.map((issue) =>
      issue.path ? `  ${issue.path}: ${issue.message}` : `  ${issue.message}`,
    );
    super(`invalid router config ${source}:\n${lines.join("\n")}`, options);
    this.issues = issues;
    this.source = source;
  }
}

/** Formats a path the way users write it: `tiers[1].deployments[0].model`, `models.gpt-4o.provider`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out;
}
