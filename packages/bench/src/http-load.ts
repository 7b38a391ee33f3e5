import autocannon from "autocannon";
import { round } from "./stats.ts";

/** One HTTP load run against one endpoint. */
export interface HttpLoadOptions {
  url: string;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
  /** Concurrent keep-alive connections. @defaultValue 32 */
  connections?: number;
  durationSeconds: number;
}

/** What a load run measured: only 2xx answers count as served requests. */
export interface HttpLoadFigures {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  ok: number;
  /** Non-2xx answers, errors and timeouts: any of them makes the run's figures suspect. */
  failed: number;
}

/** Runs autocannon in this process (the servers under test are child processes). */
export async function runHttpLoad(options: HttpLoadOptions): Promise<HttpLoadFigures> {
  const result = await autocannon({
    url: options.url,
    method: options.method ?? "GET",
    headers: options.headers ?? {},
    ...(options.body === undefined ? {} : { body: options.body }),
    connections: options.connections ?? 32,
    duration: options.durationSeconds,
  });
  const ok = result["2xx"];
  return {
    requestsPerSecond: round(ok / result.duration, 1),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    ok,
    failed: result.non2xx + result.errors + result.timeouts,
  };
}
