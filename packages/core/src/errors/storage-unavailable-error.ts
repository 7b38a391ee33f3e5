/**
 * Redis could not be reached or refused the write: nothing was accepted. Retry later.
 * Maps to 503 `service_unavailable`.
 */
export class StorageUnavailableError extends Error {
  override readonly name = "StorageUnavailableError";

  constructor(
    message = "the job store (Redis) is unavailable; nothing was accepted",
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
