/** First retry waits about this long; each further retry doubles it. */
const BASE_DELAY_MS = 500;
/** No backoff round waits longer than this, whatever the provider asks. */
export const MAX_RETRY_DELAY_MS = 60_000;
const MAX_BACKOFF_MS = 30_000;

/**
 * How long to wait before the next try. Exponential backoff with jitter (50–100 % of the step) so
 * that retries after a shared outage don't arrive in lockstep. When the next try goes to the same
 * deployment that asked us to wait (`retry-after`), we wait at least that long; when it goes to
 * another deployment, that deployment's budget is not ours to wait on.
 */
export function retryDelayMs(options: {
  retriesSoFar: number;
  retryAfterMs: number | undefined;
  sameDeploymentNext: boolean;
  random?: () => number;
}): number {
  const random = options.random ?? Math.random;
  const step = Math.min(MAX_BACKOFF_MS, BASE_DELAY_MS * 2 ** options.retriesSoFar);
  const jittered = Math.round(step * (0.5 + random() * 0.5));
  const asked = options.sameDeploymentNext ? (options.retryAfterMs ?? 0) : 0;
  return Math.min(MAX_RETRY_DELAY_MS, Math.max(jittered, asked));
}
