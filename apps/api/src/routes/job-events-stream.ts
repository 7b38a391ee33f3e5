import type { JobEvent, JobEventHub, JobEvents, JobStore, PublicJob } from "@llmr/core";
import { TERMINAL_STATUSES } from "@llmr/core";
import type { Request, Response } from "express";

/** A comment line this often keeps proxies and load balancers from closing an idle stream. */
const HEARTBEAT_MS = 15_000;
const EVENT_ID = /^\d+-\d+$/;

/**
 * `GET /v1/jobs/{id}/events` as Server-Sent Events: every event of the job so far (or those after
 * `Last-Event-ID`, to resume), then live ones as they happen, ending with the `job` event that
 * carries the finished job. Events: `status`, `attempt`, `slow`, `escalated`, `job`.
 */
export async function streamJobEvents(
  deps: { events: JobEvents; hub: JobEventHub; store: JobStore },
  job: PublicJob,
  req: Request,
  res: Response,
): Promise<void> {
  await deps.hub.start();
  const given = req.get("last-event-id");
  let lastId = given && EVENT_ID.test(given) ? given : undefined;
  let closed = false;
  let pumping: Promise<void> = Promise.resolve();

  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache, no-transform",
    connection: "keep-alive",
    "x-accel-buffering": "no",
  });
  res.flushHeaders();

  const finish = () => {
    if (closed) return;
    closed = true;
    unlisten();
    clearInterval(heartbeat);
    res.end();
  };
  const write = (event: JobEvent) => {
    res.write(`id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`);
    lastId = event.id;
    if (event.type === "job") finish();
  };
  // Reads what came after the last event sent; serialised so events go out once and in order.
  const pump = () => {
    pumping = pumping.then(async () => {
      if (closed) return;
      const events = await deps.events.history(job.id, lastId);
      for (const event of events) if (!closed) write(event);
    });
    return pumping;
  };

  // Subscribe before reading the history, so that nothing falls between the two.
  const unlisten = deps.hub.listen(job.id, () => void pump().catch(finish));
  const heartbeat = setInterval(() => res.write(": heartbeat\n\n"), HEARTBEAT_MS);
  req.once("close", finish);

  try {
    await pump();
  } catch {
    finish();
    return;
  }
  if (!closed && TERMINAL_STATUSES.has(job.status)) {
    // Finished long ago (its events expired) or finished without a final event: send the job now.
    const current = (await deps.store.get(job.id))?.record.job ?? job;
    write({ id: lastId ?? "0-0", type: "job", data: current });
  }
}
