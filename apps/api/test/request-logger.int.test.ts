import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import express from "express";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { requestLogger } from "../src/http/request-logger.ts";
import { REDACT_PATHS } from "../src/logger.ts";

const SECRET = "llmr_test_secret_0123456789abcdef";
let server: Server | undefined;

afterEach(() => {
  server?.close();
  server = undefined;
});

/** An app with the request logger on a logger at `level`, and the log lines it wrote. */
async function start(level: string) {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  const logger = pino({ level, redact: { paths: REDACT_PATHS, censor: "[redacted]" } }, sink);
  const app = express();
  app.use(requestLogger(logger, { quiet: (req) => req.url === "/healthz" }));
  const v1 = express.Router();
  v1.post("/jobs/:id", (req, res) => {
    req.log.info({ job_id: req.params.id }, "handler line");
    res.status(202).json({ ok: true });
  });
  v1.get("/down", (_req, res) => {
    res.status(503).json({});
  });
  app.use("/v1", v1);
  app.get("/healthz", (_req, res) => {
    res.send("ok");
  });
  server = app.listen(0, "127.0.0.1");
  const listening = server;
  await new Promise<void>((resolve) => listening.once("listening", () => resolve()));
  const url = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
  /** Waits for the completion line of request `reqId` (written once the response has gone out). */
  const lineOf = async (reqId: string, msg: string) => {
    await expect.poll(() => lines.some((line) => line.reqId === reqId && line.msg === msg)).toBe(true);
    return lines.find((line) => line.reqId === reqId && line.msg === msg);
  };
  return { url, lines, lineOf };
}

describe("request logger", () => {
  it("logs each request once on completion, as it arrived, with secrets censored, and handlers' lines with reqId", async () => {
    const app = await start("info");
    const res = await fetch(`${app.url}/v1/jobs/j1?x=1`, {
      method: "POST",
      headers: { authorization: `Bearer ${SECRET}`, cookie: `s=${SECRET}`, "x-request-id": "req-1" },
    });
    expect(res.status).toBe(202);
    expect(res.headers.get("x-request-id")).toBe("req-1");
    const completed = await app.lineOf("req-1", "request completed");
    expect(completed).toMatchObject({
      level: 30,
      req: {
        id: "req-1",
        method: "POST",
        url: "/v1/jobs/j1?x=1",
        query: { x: "1" },
        // As the request arrived: the route's params were not known yet (as pino-http logged it).
        params: {},
        headers: { authorization: "[redacted]", cookie: "[redacted]", "x-request-id": "req-1" },
        remoteAddress: "127.0.0.1",
        remotePort: expect.any(Number),
      },
      res: { statusCode: 202, headers: { "x-request-id": "req-1" } },
      responseTime: expect.any(Number),
    });
    expect(app.lines.find((line) => line.msg === "handler line")).toMatchObject({
      reqId: "req-1",
      job_id: "j1",
    });
    expect(app.lines.find((line) => line.msg === "handler line")).not.toHaveProperty("req");
    expect(JSON.stringify(app.lines)).not.toContain(SECRET);
  });

  it("makes up a request id when the caller's is missing or not sane", async () => {
    const app = await start("info");
    const res = await fetch(`${app.url}/v1/jobs/j2`, {
      method: "POST",
      headers: { "x-request-id": "no spaces!" },
    });
    const id = res.headers.get("x-request-id") ?? "";
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await app.lineOf(id, "request completed"))?.req).toMatchObject({ id });
  });

  it("logs a 5xx at error with err even when info is off, and nothing else then", async () => {
    const app = await start("warn");
    await fetch(`${app.url}/v1/jobs/j3`, { method: "POST", headers: { "x-request-id": "req-ok" } });
    await fetch(`${app.url}/v1/down`, { headers: { "x-request-id": "req-down" } });
    const errored = await app.lineOf("req-down", "request errored");
    expect(errored).toMatchObject({
      level: 50,
      req: { method: "GET", url: "/v1/down" },
      res: { statusCode: 503 },
      err: { message: "failed with status code 503" },
    });
    expect(app.lines).toHaveLength(1);
  });

  it("writes no completion line for quiet paths", async () => {
    const app = await start("info");
    await fetch(`${app.url}/healthz`, { headers: { "x-request-id": "req-health" } });
    await fetch(`${app.url}/v1/jobs/j4`, { method: "POST", headers: { "x-request-id": "req-after" } });
    await app.lineOf("req-after", "request completed");
    expect(app.lines.filter((line) => line.reqId === "req-health")).toEqual([]);
  });
});
