/** The batch already completed: there is nothing left to cancel. Maps to 409. */
export class BatchNotCancellableError extends Error {
  override readonly name = "BatchNotCancellableError";

  constructor(
    message = "the batch already completed; only a queued or running batch can be cancelled",
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
