/** The contract's error types. */
export type ErrorType =
  | "invalid_request_error"
  | "authentication_error"
  | "permission_error"
  | "not_found_error"
  | "conflict_error"
  | "payload_too_large"
  | "unsupported_media_type"
  | "idempotency_mismatch"
  | "rate_limit_error"
  | "service_unavailable"
  | "api_error";

/**
 * An HTTP answer that is not a success, thrown by a handler and rendered by the one error
 * middleware as `{"error": {"type", "message", "param"?}}`.
 */
export class HttpError extends Error {
  override readonly name = "HttpError";
  readonly status: number;
  readonly type: ErrorType;
  readonly param: string | undefined;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    type: ErrorType,
    message: string,
    options: { param?: string; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.status = status;
    this.type = type;
    this.param = options.param;
    this.headers = options.headers ?? {};
  }
}

export const notFound = (what = "job") => new HttpError(404, "not_found_error", `no such ${what}`);
