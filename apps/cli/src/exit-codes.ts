/**
 * The exit codes of `llmr`, for scripts (documented in the README). Each error class carries its
 * code, so the one place that exits ({@link exitCodeOf}) never re-derives it from a message.
 */
export const ExitCode = {
  /** The job succeeded / every item of the batch succeeded / the command did what it was asked. */
  ok: 0,
  /** The job failed, or some items of the batch failed. */
  failed: 1,
  /** The command line is wrong (unknown command or flag, missing argument, bad value). */
  usage: 2,
  /** The API refused the request (4xx: bad request, bad key, unknown id, conflict). */
  api: 3,
  /** The API could not be reached or answered 5xx (down, Redis unavailable). */
  unavailable: 4,
  /** The job or the batch was cancelled. */
  cancelled: 5,
  /** Ctrl-C (SIGINT) while waiting; the job or batch keeps running on the server. */
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** A wrong command line: the message says what, and `--help` says how. */
export class UsageError extends Error {
  override name = "UsageError";
  readonly exitCode = ExitCode.usage;
}

/** The contract's error body: `{"error": {"type", "message", "param"?}}`. */
export interface ApiErrorBody {
  type: string;
  message: string;
  param?: string;
}

/** The API answered with a non-2xx status. 4xx → exit 3, 5xx → exit 4. */
export class ApiError extends Error {
  override name = "ApiError";
  readonly status: number;
  readonly body: ApiErrorBody;
  readonly exitCode: ExitCode;

  constructor(status: number, body: ApiErrorBody, options?: ErrorOptions) {
    const where = body.param ? ` (param: ${body.param})` : "";
    super(`API error ${status} ${body.type}: ${body.message}${where}`, options);
    this.status = status;
    this.body = body;
    this.exitCode = status >= 500 ? ExitCode.unavailable : ExitCode.api;
  }
}

/** The API could not be reached at all (connection refused, DNS, reset). */
export class ServerUnreachableError extends Error {
  override name = "ServerUnreachableError";
  readonly exitCode = ExitCode.unavailable;

  constructor(url: string, options?: ErrorOptions) {
    const cause = options?.cause instanceof Error ? `: ${causeText(options.cause)}` : "";
    super(`cannot reach the API at ${url}${cause}`, options);
  }
}

/** True for errors worth retrying while waiting: the server may come back. */
export function isTransient(error: unknown): boolean {
  return (
    error instanceof ServerUnreachableError ||
    (error instanceof ApiError && (error.status >= 500 || error.status === 429))
  );
}

/** The exit code for anything thrown by a command; unknown errors are bugs → 1. */
export function exitCodeOf(error: unknown): number {
  if (
    error instanceof UsageError ||
    error instanceof ApiError ||
    error instanceof ServerUnreachableError ||
    error instanceof InterruptedError
  )
    return error.exitCode;
  return ExitCode.failed;
}

function causeText(error: Error): string {
  // fetch's own message is just "fetch failed"; the useful part (ECONNREFUSED) is in its cause.
  const inner = error.cause instanceof Error ? error.cause : undefined;
  const code = (inner as { code?: string } | undefined)?.code;
  return code ?? inner?.message ?? error.message;
}

/** Ctrl-C while the CLI was waiting or uploading: exit 130; the message says what keeps running. */
export class InterruptedError extends Error {
  override name = "InterruptedError";
  readonly exitCode = ExitCode.interrupted;
}
