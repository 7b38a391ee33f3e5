import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { ExpressAdapter } from "@bull-board/express";
import type { TierQueues } from "@llmr/core";
import type { Router } from "express";

export const BULL_BOARD_PATH = "/admin/queues";

/** bull-board over every tier × class queue, named for humans (`fast · interactive`). */
export function bullBoardRouter(queues: TierQueues): Router {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({
    queues: queues
      .all()
      .map(
        (queue) =>
          new BullMQAdapter(queue, { displayName: queue.name.replace(/^\{(.*)-(\w+)\}$/, "$1 · $2") }),
      ),
    serverAdapter,
    options: { uiConfig: { boardTitle: "LLM router" } },
  });
  return serverAdapter.getRouter() as Router;
}
