import type { ConfigIssue } from "./config-error.ts";
import type { RouterConfig } from "./router-config.ts";
import { JOB_CLASSES } from "./router-config.ts";
import type { RouterConfigDocument } from "./schema.ts";

/** The queue of webhook deliveries, as `admin.bull_board.read_only_queues` names it. */
export const WEBHOOKS_QUEUE_SELECTOR = "webhooks";

/**
 * Resolves the `admin` section: which dashboard queues are read-only, as queue ids
 * (`<tier>-<class>`, `webhooks`). A selector that names nothing is a mistake worth stopping for:
 * an operator who writes `capable-interactiv` believes that queue is protected.
 */
export function resolveAdmin(
  admin: RouterConfigDocument["admin"],
  tierNames: readonly string[],
  issues: ConfigIssue[],
): RouterConfig["admin"] {
  // Each queue with the selectors that name it: its id, its tier and its class.
  const queues: Array<{ id: string; names: string[] }> = [
    ...tierNames.flatMap((tier) =>
      JOB_CLASSES.map((jobClass) => ({ id: `${tier}-${jobClass}`, names: [tier, jobClass] })),
    ),
    { id: WEBHOOKS_QUEUE_SELECTOR, names: [] },
  ];
  const readOnly = new Set<string>(admin.bull_board.read_only ? queues.map((queue) => queue.id) : []);
  admin.bull_board.read_only_queues.forEach((selector, index) => {
    const matches = queues
      .filter((queue) => queue.id === selector || queue.names.includes(selector))
      .map((queue) => queue.id);
    if (matches.length === 0) {
      issues.push({
        path: `admin.bull_board.read_only_queues[${index}]`,
        message: `"${selector}" names no queue; use a class (${JOB_CLASSES.join(", ")}), a tier (${tierNames.join(", ")}), a queue <tier>-<class>, or ${WEBHOOKS_QUEUE_SELECTOR}`,
      });
    }
    for (const queue of matches) readOnly.add(queue);
  });
  return {
    sessionTtlSeconds: admin.session_ttl_s,
    bullBoard: { readOnlyQueues: [...readOnly].sort() },
  };
}
