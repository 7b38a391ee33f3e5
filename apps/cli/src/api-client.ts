import type { BatchObject, JobObject } from "./api-types.ts";
import type { ApiErrorBody } from "./exit-codes.ts";
import { ApiError, InterruptedError, ServerUnreachableError } from "./exit-codes.ts";

/** Where the API is and who we are. The key is only ever put in the Authorization header. */
export interface ApiTarget {
  /** Base URL, e.g. `http://127.0.0.1:8080`. */
  url: string;
  /** Bearer key; never printed. */
  key: string | undefined;
  /** Aborted on Ctrl-C: every request in flight stops at once. */
  signal?: AbortSignal;
}

/**
 * A thin client of the HTTP contract: one method per route the CLI uses. Non-2xx answers become
 * {@link ApiError} (with the contract's `type`, `message`, `param`), network failures
 * {@link ServerUnreachableError}.
 */
export class ApiClient {
  readonly #target: ApiTarget;

  constructor(target: ApiTarget) {
    this.#target = { ...target, url: target.url.replace(/\/+$/, "") };
  }

  submitJob(request: Record<string, unknown>): Promise<JobObject> {
    return this.#json("POST", "/v1/jobs", request) as Promise<JobObject>;
  }

  /** `waitS` > 0 holds the answer until the job finishes or that many seconds pass (at most 60). */
  getJob(id: string, waitS = 0): Promise<JobObject> {
    const query = waitS > 0 ? `?wait=${waitS}` : "";
    return this.#json("GET", `/v1/jobs/${encodeURIComponent(id)}${query}`) as Promise<JobObject>;
  }

  /** Uploads NDJSON lines as they are produced (never the whole body in memory). */
  async submitBatch(lines: AsyncIterable<string>): Promise<BatchObject> {
    const encoder = new TextEncoder();
    // fetch reports a failing body as its own "fetch failed"; keep ours (an unreadable file) to rethrow.
    let bodyError: unknown;
    const body = ReadableStream.from(
      (async function* () {
        try {
          for await (const line of lines) yield encoder.encode(`${line}\n`);
        } catch (error) {
          bodyError = error;
          throw error;
        }
      })(),
    );
    const res = await this.#fetch("/v1/batches", {
      method: "POST",
      headers: { "content-type": "application/x-ndjson" },
      body,
      // A streamed request body needs half duplex in fetch.
      duplex: "half",
    } as RequestInit).catch((error: unknown) => {
      throw bodyError ?? error;
    });
    return (await res.json()) as BatchObject;
  }

  getBatch(id: string): Promise<BatchObject> {
    return this.#json("GET", `/v1/batches/${encodeURIComponent(id)}`) as Promise<BatchObject>;
  }

  cancelBatch(id: string): Promise<BatchObject> {
    return this.#json("POST", `/v1/batches/${encodeURIComponent(id)}/cancel`) as Promise<BatchObject>;
  }

  /** The results as NDJSON lines, parsed one by one as they arrive. */
  async *batchResults(id: string): AsyncGenerator<Record<string, unknown>> {
    const res = await this.#fetch(`/v1/batches/${encodeURIComponent(id)}/results`, { method: "GET" });
    if (!res.body) return;
    const decoder = new TextDecoder();
    let pending = "";
    for await (const chunk of res.body) {
      pending += decoder.decode(chunk, { stream: true });
      let newline = pending.indexOf("\n");
      while (newline >= 0) {
        const line = pending.slice(0, newline).trim();
        pending = pending.slice(newline + 1);
        if (line) yield JSON.parse(line) as Record<string, unknown>;
        newline = pending.indexOf("\n");
      }
    }
    if (pending.trim()) yield JSON.parse(pending) as Record<string, unknown>;
  }

  async #json(method: string, path: string, body?: unknown): Promise<unknown> {
    const init: RequestInit = { method };
    if (body !== undefined) {
      init.headers = { "content-type": "application/json" };
      init.body = JSON.stringify(body);
    }
    const res = await this.#fetch(path, init);
    return res.json();
  }

  async #fetch(path: string, init: RequestInit): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.#target.key) headers.set("authorization", `Bearer ${this.#target.key}`);
    headers.set("accept", "application/json, application/x-ndjson");
    let res: Response;
    try {
      res = await fetch(`${this.#target.url}${path}`, { ...init, headers, signal: this.#target.signal });
    } catch (error) {
      if (this.#target.signal?.aborted) throw new InterruptedError("interrupted", { cause: error });
      throw new ServerUnreachableError(this.#target.url, { cause: error });
    }
    if (!res.ok) throw new ApiError(res.status, await errorBody(res));
    return res;
  }
}

/** The contract's error object, or a stand-in when the answer is not one (a proxy's HTML page). */
async function errorBody(res: Response): Promise<ApiErrorBody> {
  const text = await res.text().catch(() => "");
  try {
    const parsed = JSON.parse(text) as { error?: Partial<ApiErrorBody> };
    if (parsed.error && typeof parsed.error.message === "string") {
      return {
        type: parsed.error.type ?? "error",
        message: parsed.error.message,
        ...(parsed.error.param ? { param: parsed.error.param } : {}),
      };
    }
  } catch {
    // not JSON: described below
  }
  return { type: "http_error", message: text.slice(0, 200) || res.statusText || "no message" };
}
