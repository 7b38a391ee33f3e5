/**
 * One completion request's lifetime: its abort signal (fired when the client goes away or the
 * simulator closes), its request id, and exactly one recorded outcome, however it ends.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import { sendJson } from "./http-io.ts";
import type { ErrorCondition, ProtocolAdapter } from "./protocol.ts";
import type { SimulatorRuntime } from "./runtime.ts";
import type { RequestOutcome } from "./stats.ts";

export interface RequestScope {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly protocol: ProtocolAdapter;
  readonly runtime: SimulatorRuntime;
  readonly requestId: string;
  /** Aborted when the socket closes before the answer ended. */
  readonly signal: AbortSignal;
  /** Records the outcome unless one was recorded already. */
  record(outcome: RequestOutcome): void;
  /** Answers with the protocol's error for `condition` and records it. */
  fail(condition: ErrorCondition, headers?: OutgoingHttpHeaders): void;
  /** Destroys the socket without answering (fault `reset`); not counted as a client abort. */
  destroy(): void;
}

export function openRequestScope(
  runtime: SimulatorRuntime,
  protocol: ProtocolAdapter,
  req: IncomingMessage,
  res: ServerResponse,
): RequestScope {
  const controller = new AbortController();
  const requestId = `req_sim_${randomUUID().replaceAll("-", "").slice(0, 24)}`;
  let recorded = false;
  let destroyedByUs = false;

  const record = (outcome: RequestOutcome) => {
    if (recorded) return;
    recorded = true;
    runtime.stats.recordOutcome(outcome);
  };

  runtime.inFlight.add(controller);
  runtime.stats.recordRequest();
  res.setHeader(protocol.requestIdHeader, requestId);
  res.on("close", () => {
    runtime.inFlight.delete(controller);
    if (res.writableFinished) return;
    // The socket went away before the answer was complete: stop working on it.
    controller.abort();
    if (destroyedByUs) record("reset");
    else if (!runtime.closing) record("aborted");
  });

  return {
    req,
    res,
    protocol,
    runtime,
    requestId,
    signal: controller.signal,
    record,
    fail(condition, headers = {}) {
      const { status, body } = protocol.error(condition, requestId);
      sendJson(res, status, body, headers);
      record(condition.kind === "rate_limited" ? "rate_limited" : `error_${status}`);
    },
    destroy() {
      destroyedByUs = true;
      req.socket.destroy();
    },
  };
}
