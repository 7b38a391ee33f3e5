import { auth, json, KEY_A } from "./start-test-api.ts";

/** One bad request and the contract's answer to it. */
export interface BadRequest {
  name: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  status: number;
  type: string;
  /** The field at fault; the answer must carry exactly this `param` (none when undefined). */
  param?: string;
  /** What the message must say for a person to act on it. */
  message: RegExp;
}

export type Expected = Pick<BadRequest, "status" | "type" | "param" | "message">;

export const INVALID = "invalid_request_error";

/** Key A's JSON headers: what a well-formed request sends. */
export const keyA = (): Record<string, string> => ({ ...auth(KEY_A), ...json });

/** Collects the battery's cases with a few shorthands for their usual shapes. */
export class BadRequests {
  readonly cases: BadRequest[] = [];

  /** `POST /v1/jobs` with this exact body. */
  post(name: string, body: string | Uint8Array, expected: Expected, headers = keyA()): void {
    this.cases.push({ name, method: "POST", path: "/v1/jobs", headers, body, ...expected });
  }

  /** `POST /v1/jobs` with a valid job (`input: "x"`) and `patch` on top: 400 at `param`. */
  field(name: string, patch: Record<string, unknown>, param: string, message: RegExp): void {
    this.invalid(name, { input: "x", ...patch }, param, message);
  }

  /** `POST /v1/jobs` with `body` as JSON: 400 at `param`. */
  invalid(name: string, body: unknown, param: string | undefined, message: RegExp): void {
    this.post(name, JSON.stringify(body), { status: 400, type: INVALID, param, message });
  }

  /** Any route, without a body. */
  call(
    name: string,
    method: string,
    path: string,
    headers: Record<string, string>,
    expected: Expected,
  ): void {
    this.cases.push({ name, method, path, headers, ...expected });
  }
}
