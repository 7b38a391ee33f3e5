/**
 * Histogram buckets, in seconds, sized for what they time. LLM calls take from a few hundred
 * milliseconds to minutes (a batch tier's hard limit is up to 15 min), so the provider buckets
 * run from 100 ms to 10 min with the tiers' soft limits (10, 15, 20 s) and hard limits (45, 60,
 * 90 s) as edges, which makes "share of calls over the soft limit" exact.
 */
export const PROVIDER_LATENCY_BUCKETS_S = [
  0.1, 0.25, 0.5, 1, 2, 5, 10, 15, 20, 30, 45, 60, 90, 120, 300, 600,
];

/** Queue waits: milliseconds when workers keep up, up to an hour for batch work behind a backlog. */
export const QUEUE_WAIT_BUCKETS_S = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900, 3600];

/** Rate-limit waits are what the limiter announces: up to a minute's window, and a provider's retry-after. */
export const RATE_LIMIT_WAIT_BUCKETS_S = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

/** The API's own answers: a few ms for a submit, up to 60 s for a long-poll (`?wait=60`). */
export const HTTP_DURATION_BUCKETS_S = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
];
