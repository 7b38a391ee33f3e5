/** The job already finished (succeeded or failed): there is nothing to cancel. Maps to 409. */
export class JobNotCancellableError extends Error {
  override readonly name = "JobNotCancellableError";
  readonly status: string;

  constructor(status: string, options?: { cause?: unknown }) {
    super(
      `the job already ${status === "succeeded" ? "succeeded" : "failed"}; only a queued or running job can be cancelled`,
      options,
    );
    this.status = status;
  }
}
