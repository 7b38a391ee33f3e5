/** One field at fault in a request: `param` is its path as a user writes it (`messages[0].content`). */
export interface RequestIssue {
  param: string;
  message: string;
}

/** The request is wrong; the caller must change it. Maps to 400 `invalid_request_error`. */
export class RequestValidationError extends Error {
  override readonly name = "RequestValidationError";
  readonly issues: readonly RequestIssue[];

  constructor(issues: readonly RequestIssue[], options?: { cause?: unknown }) {
    const first = issues[0];
    super(
      first ? (first.param ? `${first.param}: ${first.message}` : first.message) : "invalid request",
      options,
    );
    this.issues = issues;
  }

  /** The field at fault when exactly one is. */
  get param(): string | undefined {
    return this.issues.length === 1 ? this.issues[0]?.param || undefined : undefined;
  }
}
