/**
 * Counters served at `GET /_sim/stats`, so tests and benchmarks can check what the simulator saw
 * (which models were called, how many calls were aborted) rather than trusting the client's story.
 */
import type { FaultKind } from "./fault-kinds.ts";

/**
 * How a completion request ended:
 * - `ok`: a 200 answer was sent in full (including injected `truncate`, `malformed_json`, `slow_stream`);
 * - `rate_limited`: refused by a model's `rpm`/`tpm` limit;
 * - `error_<status>`: any other error answer, genuine (401, 404, 400…) or injected;
 * - `aborted`: the client closed the socket before the answer ended;
 * - `reset`: the simulator destroyed the socket (fault `reset`).
 */
export type RequestOutcome = "ok" | "rate_limited" | `error_${number}` | "aborted" | "reset";

/** The JSON of `GET /_sim/stats`. */
export interface SimulatorStats {
  /** Completion requests received (both endpoints). */
  requests_total: number;
  /** Completion requests by the `model` they named (unknown models included). */
  requests_by_model: Record<string, number>;
  requests_by_outcome: Partial<Record<RequestOutcome, number>>;
  /**
   * Tokens charged against each model's `tpm` by the requests it admitted: input plus the most the
   * answer may use, as the vendors count them (what a router's TPM limiter must keep under).
   */
  tokens_admitted_by_model: Record<string, number>;
  /** Faults injected, by kind (marker or probability). */
  faults_by_kind: Partial<Record<FaultKind, number>>;
  /** Requests whose client closed the socket before the answer ended. */
  aborted_by_client: number;
  /** TCP connections open right now. */
  open_connections: number;
  /** Completion requests being worked on right now. */
  in_flight: number;
}

export class StatsRecorder {
  #total = 0;
  #byModel: Record<string, number> = {};
  #byOutcome: Partial<Record<RequestOutcome, number>> = {};
  #tokensAdmitted: Record<string, number> = {};
  #faults: Partial<Record<FaultKind, number>> = {};
  #aborted = 0;

  recordRequest(): void {
    this.#total++;
  }

  recordModel(model: string): void {
    this.#byModel[model] = (this.#byModel[model] ?? 0) + 1;
  }

  recordAdmittedTokens(model: string, tokens: number): void {
    this.#tokensAdmitted[model] = (this.#tokensAdmitted[model] ?? 0) + tokens;
  }

  recordFault(kind: FaultKind): void {
    this.#faults[kind] = (this.#faults[kind] ?? 0) + 1;
  }

  recordOutcome(outcome: RequestOutcome): void {
    this.#byOutcome[outcome] = (this.#byOutcome[outcome] ?? 0) + 1;
    if (outcome === "aborted") this.#aborted++;
  }

  snapshot(live: { openConnections: number; inFlight: number }): SimulatorStats {
    return {
      requests_total: this.#total,
      requests_by_model: { ...this.#byModel },
      requests_by_outcome: { ...this.#byOutcome },
      tokens_admitted_by_model: { ...this.#tokensAdmitted },
      faults_by_kind: { ...this.#faults },
      aborted_by_client: this.#aborted,
      open_connections: live.openConnections,
      in_flight: live.inFlight,
    };
  }

  reset(): void {
    this.#total = 0;
    this.#byModel = {};
    this.#byOutcome = {};
    this.#tokensAdmitted = {};
    this.#faults = {};
    this.#aborted = 0;
  }
}
