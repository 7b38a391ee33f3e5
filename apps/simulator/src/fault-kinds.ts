/**
 * The failures the simulator can inject, shared by the per-request marker and the probabilistic
 * `faults` option.
 */

/** Every fault kind, in the order probabilistic draws walk them. */
export const faultKinds = [
  "429",
  "500",
  "503",
  "529",
  "400",
  "401",
  "hang",
  "reset",
  "truncate",
  "malformed_json",
  "slow_stream",
] as const;

/**
 * - `429` / `500` / `503` / `529` / `400` / `401`: answer with that status in the vendor's error shape.
 * - `hang`: accept the request and never answer until the client goes away.
 * - `reset`: destroy the socket without answering.
 * - `truncate`: cut the answer short (`length` / `max_tokens`) whatever the token limit.
 * - `malformed_json`: when JSON output was asked, return text that does not parse.
 * - `slow_stream`: pace every chunk by `chunk_delay_ms`.
 */
export type FaultKind = (typeof faultKinds)[number];

/** Faults answered with an HTTP error status instead of a completion. */
export type StatusFaultKind = "429" | "500" | "503" | "529" | "400" | "401";

/** Probability in [0, 1] of each fault kind per request; the sum must not exceed 1. */
export type FaultRates = Partial<Record<FaultKind, number>>;

/** Statuses whose answers tell the client when to come back (`retry-after`). */
const statusesWithRetryAfter: ReadonlySet<StatusFaultKind> = new Set(["429", "503", "529"]);

export function isStatusFault(kind: FaultKind): kind is StatusFaultKind {
  return (
    kind === "429" || kind === "500" || kind === "503" || kind === "529" || kind === "400" || kind === "401"
  );
}

export function carriesRetryAfter(kind: StatusFaultKind): boolean {
  return statusesWithRetryAfter.has(kind);
}
