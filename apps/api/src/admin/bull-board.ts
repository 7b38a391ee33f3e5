import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { ExpressAdapter } from "@bull-board/express";
import type { TierQueues } from "@llmr/core";
import type { Queue } from "bullmq";
import type { Router } from "express";

export const BULL_BOARD_PATH = "/admin/queues";

/** bull-board over every tier × class queue, named for humans (`fast · interactive`). */
export function bullBoardRouter(queues: TierQueues, others: readonly Queue[] = []): Router {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({
    queues: [
      ...queues
        .all()
        .map(
          (queue) =>
            new BullMQAdapter(queue, { displayName: queue.name.replace(/^\{(.*)-(\w+)\}$/, "$1 · $2") }),
        ),
      ...others.map((queue) => new BullMQAdapter(queue, { displayName: queue.name.replace(/[{}]/g, "") })),
    ],
    serverAdapter,
    options: { uiConfig: { boardTitle: "LLM router" } },
  });
  return serverAdapter.getRouter() as Router;
}
