import type { ApiClient } from "./api-client.ts";
import type { ProgressStream } from "./progress-reporter.ts";

/** What every command gets: the API client and the process's edges, replaceable in tests. */
export interface CliContext {
  client: ApiClient;
  /** Results and ids, for scripts. */
  stdout: NodeJS.WritableStream;
  /** Progress, summaries and errors, for people. */
  stderr: ProgressStream;
  /** Relative paths on the command line are relative to this. */
  cwd: string;
  /** The system's IANA time zone, the default of `--window`. */
  timeZone: string;
  /** Aborted on Ctrl-C. */
  signal: AbortSignal;
  /** Between two looks at a batch. @defaultValue 1000 */
  pollIntervalMs: number;
  now: () => Date;
}
