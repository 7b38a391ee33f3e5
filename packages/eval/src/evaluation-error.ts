/**
 * The one error of the evaluation harness: something kept the evaluation from producing numbers
 * (a bad config or replay file, a process that did not start, a job that never finished). The
 * message says what and where; `cause` carries the underlying error.
 */
export class EvaluationError extends Error {
  override readonly name = "EvaluationError";
}
