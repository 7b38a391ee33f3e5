import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { ExpressAdapter } from "@bull-board/express";
import type { TierQueues } from "@llmr/core";
import type { Queue } from "bullmq";
import type { Router } from "express";
import express from "express";

export const BULL_BOARD_PATH = "/admin/queues";

/** Options of {@link bullBoardRouter}. */
export interface BullBoardOptions {
  /**
   * Queues shown read-only (`admin.bull_board` resolved): ids `<tier>-<class>` or `webhooks`, i.e.
   * the BullMQ queue name without its hash-tag braces. bull-board then hides and refuses retry,
   * remove, clean, pause, promote and add for them.
   * @defaultValue []
   */
  readOnlyQueues?: readonly string[];
  /**
   * Where the dashboard's menu links to log out, or none.
   * @defaultValue undefined
   */
  logoutPath?: string;
}

/** A queue's id as the config names it: `{fast-interactive}` → `fast-interactive`. */
const queueId = (queue: Queue) => queue.name.replace(/^\{(.*)\}$/, "$1");

/**
 * bull-board over every tier × class queue, named for humans (`fast · interactive`), and the
 * `others` (the webhook delivery queue). No page of it may be framed by another site: a framed
 * dashboard could trick an operator into clicking "retry all" or "clean".
 */
export function bullBoardRouter(
  queues: TierQueues,
  others: readonly Queue[] = [],
  options: BullBoardOptions = {},
): Router {
  const readOnly = new Set(options.readOnlyQueues ?? []);
  const adapter = (queue: Queue, displayName: string) =>
    new BullMQAdapter(queue, { displayName, readOnlyMode: readOnly.has(queueId(queue)) });
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({
    queues: [
      ...queues.all().map((queue) => adapter(queue, queueId(queue).replace(/^(.*)-(\w+)$/, "$1 · $2"))),
      ...others.map((queue) => adapter(queue, queueId(queue))),
    ],
    serverAdapter,
    options: {
      uiConfig: {
        boardTitle: "LLM router",
        ...(options.logoutPath ? { miscLinks: [{ text: "Log out", url: options.logoutPath }] } : {}),
      },
    },
  });
  const router = express.Router();
  router.use((_req, res, next) => {
    res.set({ "X-Frame-Options": "DENY", "Content-Security-Policy": "frame-ancestors 'none'" });
    next();
  });
  router.use(serverAdapter.getRouter() as Router);
  return router;
}
