/**
 * Thrown by the job processor to make BullMQ run the job again after `delayMs`
 * (read by the worker's backoff strategy). The attempt that failed is already in the job's history.
 */
export class RetryLaterError extends Error {
  override readonly name = "RetryLaterError";
  readonly delayMs: number;

  constructor(
    delayMs: number,
    message = "the attempt failed and will be retried",
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.delayMs = delayMs;
  }
}
