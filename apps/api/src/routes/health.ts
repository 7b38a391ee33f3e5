import type { RedisClient } from "@llmr/core";
import { assertNoEviction } from "@llmr/core";
import { Router } from "express";

const READY_TIMEOUT_MS = 1_000;

/** `/healthz`: the process is up. `/readyz`: Redis answers and is safe to use (noeviction). */
export function healthRouter(redis: RedisClient): Router {
  const router = Router();
  router.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  router.get("/readyz", async (_req, res) => {
    try {
      await withTimeout(Promise.all([redis.ping(), assertNoEviction(redis)]), READY_TIMEOUT_MS);
      res.json({ status: "ready" });
    } catch (error) {
      res.status(503).json({
        error: {
          type: "service_unavailable",
          message: `not ready: ${error instanceof Error ? error.message : error}`,
        },
      });
    }
  });
  return router;
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
