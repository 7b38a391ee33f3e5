/**
 * Small helpers over `node:http`: reading a bounded body, writing JSON and SSE, and waiting in a way
 * that a client abort (or the simulator closing) cancels, so no timer outlives its request.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import { setTimeout as delay } from "node:timers/promises";

/** Largest request body accepted; the real APIs refuse bodies of this order too. */
export const maxBodyBytes = 32 * 1024 * 1024;

export type BodyResult = { kind: "ok"; text: string } | { kind: "too_large" } | { kind: "closed" };

/** Reads the whole body; `closed` when the client went away first. */
export function readBody(req: IncomingMessage): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (result: BodyResult) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        // Stop buffering but keep draining, so the 413 can still be written on this socket.
        chunks.length = 0;
        settle({ kind: "too_large" });
        return;
      }
      if (!settled) chunks.push(chunk);
    });
    req.on("end", () => settle({ kind: "ok", text: Buffer.concat(chunks).toString("utf8") }));
    req.on("error", () => settle({ kind: "closed" }));
    req.on("close", () => settle({ kind: "closed" }));
  });
}

/** Writes a complete JSON answer (no-op when the socket is already gone). */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: OutgoingHttpHeaders = {},
): void {
  if (res.destroyed || res.writableEnded) return;
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    "content-type": "application/json",
    "content-length": Buffer.byteLength(payload),
  });
  res.end(payload);
}

/** Opens a server-sent-events answer. */
export function startSse(res: ServerResponse, headers: OutgoingHttpHeaders = {}): void {
  res.writeHead(200, {
    ...headers,
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    connection: "keep-alive",
  });
  // Headers go out now, as the vendors do, so the client's "time to first byte" is not the first token.
  res.flushHeaders();
}

/** One SSE frame; `event` is the named event line Anthropic uses and OpenAI omits. */
export function sseFrame(data: string, event?: string): string {
  return event === undefined ? `data: ${data}\n\n` : `event: ${event}\ndata: ${data}\n\n`;
}

/** Waits `ms`; resolves false (and frees the timer) as soon as `signal` aborts. */
export async function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  if (ms <= 0) return true;
  try {
    await delay(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}

/** Resolves when `signal` aborts (used by `hang`, which answers nothing until the client leaves). */
export function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
}
