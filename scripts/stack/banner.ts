/** What the ready banner shows. */
export interface BannerFacts {
  apiUrl: string;
  /** The worker's HTTP server: /healthz, /readyz, /metrics. */
  workerUrl: string;
  /** The dev key, or `undefined` when the keys come from the user's LLMR_API_KEYS. */
  apiKey: string | undefined;
  /** The operator token (the dashboard login), or `undefined` when it comes from the user's LLMR_OPERATOR_TOKEN. */
  operatorToken: string | undefined;
  credentialsFile: string;
  providers: string;
  redis: string;
}

/**
 * The "it's up" message: a box with the facts, then the curl examples outside it so they copy
 * cleanly from a terminal.
 *
 * @example
 * ```ts
 * process.stdout.write(renderBanner(facts));
 * ```
 */
export function renderBanner(facts: BannerFacts): string {
  const key = facts.apiKey ?? "<one of your LLMR_API_KEYS>";
  const operator = facts.operatorToken ?? "<your LLMR_OPERATOR_TOKEN>";
  const rows: [string, string][] = [
    ["API", facts.apiUrl],
    ["Dashboard", `${facts.apiUrl}/admin/queues`],
    ["", `log in with the operator token: ${facts.operatorToken ?? "your LLMR_OPERATOR_TOKEN"}`],
    ["Worker", `${facts.workerUrl}/healthz, ${facts.workerUrl}/readyz`],
    ["Metrics", `${facts.apiUrl}/metrics, ${facts.workerUrl}/metrics`],
    ["", "send the operator token as a Bearer token"],
    ["API key", facts.apiKey === undefined ? "from your LLMR_API_KEYS" : `${facts.apiKey}  (name "dev")`],
    ["", facts.apiKey === undefined ? "" : `kept in ${facts.credentialsFile} across restarts`],
    ["Providers", facts.providers],
    ["Redis", facts.redis],
  ];
  const lines = [
    "LLM router is ready",
    "",
    ...rows
      .filter(([label, value]) => label !== "" || value !== "")
      .map(([label, value]) => `${label.padEnd(10)} ${value}`),
  ];
  const width = Math.max(...lines.map((line) => line.length));
  const box = [
    `┌${"─".repeat(width + 2)}┐`,
    ...lines.map((line) => `│ ${line.padEnd(width)} │`),
    `└${"─".repeat(width + 2)}┘`,
  ];
  return [
    "",
    ...box,
    "Submit a job, then fetch it with the id from the answer:",
    `  curl -s -X POST ${facts.apiUrl}/v1/jobs -H "Authorization: Bearer ${key}" -H "Content-Type: application/json" -d '{"input":"Say hello"}'`,
    `  curl -s ${facts.apiUrl}/v1/jobs/<id> -H "Authorization: Bearer ${key}"`,
    "The worker's Prometheus metrics:",
    `  curl -s ${facts.workerUrl}/metrics -H "Authorization: Bearer ${operator}"`,
    "Ctrl-C stops everything.",
    "",
  ].join("\n");
}
