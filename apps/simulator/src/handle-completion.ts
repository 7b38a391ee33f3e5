/**
 * The completion endpoints' pipeline, shared by OpenAI and Anthropic: admit the request, decide on a
 * fault, run the simulated model, then answer as JSON or as a paced event stream. Every wait is tied
 * to the request's abort signal, so a client that leaves stops the work and frees its timers.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import { type AdmittedRequest, admitRequest } from "./admit-request.ts";
import { carriesRetryAfter, isStatusFault } from "./fault-kinds.ts";
import { decideFault, type FaultDecision } from "./fault-plan.ts";
import { sendJson, sleep, startSse, untilAborted } from "./http-io.ts";
import { totalLatencyMs } from "./latency.ts";
import type { ProtocolAdapter, ResponseMeta } from "./protocol.ts";
import { replayCompletion } from "./replay-completion.ts";
import { openRequestScope, type RequestScope } from "./request-scope.ts";
import type { SimulatorRuntime } from "./runtime.ts";
import { type CompletionPlan, simulateCompletion } from "./simulate.ts";

export async function handleCompletion(
  runtime: SimulatorRuntime,
  protocol: ProtocolAdapter,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const scope = openRequestScope(runtime, protocol, req, res);
  const admitted = await admitRequest(scope);
  if (!admitted) return;
  const recorded = runtime.replay?.lookup(admitted.request, admitted.modelId);
  if (recorded?.kind !== "answer" && runtime.replayOnlyModels.has(admitted.modelId)) {
    // A replay-only model has no behaviour of its own to fall back on: say so rather than invent one.
    scope.fail({ kind: "no_recorded_answer", model: admitted.modelId });
    return;
  }
  const fault = chooseFault(runtime, admitted);
  if (fault) runtime.stats.recordFault(fault.kind);
  const rateLimitHeaders = protocol.rateLimitHeaders(admitted.rateLimit);

  if (fault && isStatusFault(fault.kind)) {
    const headers: OutgoingHttpHeaders = { ...rateLimitHeaders };
    if (carriesRetryAfter(fault.kind)) {
      headers["retry-after"] = String(fault.retryAfterS);
      if (fault.retryAfterMs !== undefined) headers["retry-after-ms"] = String(fault.retryAfterMs);
    }
    if (fault.shouldRetry !== undefined) headers["x-should-retry"] = String(fault.shouldRetry);
    scope.fail({ kind: "fault", fault: fault.kind, model: admitted.modelId }, headers);
    return;
  }
  if (fault?.kind === "reset") {
    scope.destroy();
    return;
  }
  if (fault?.kind === "hang") {
    // Nothing is ever sent; the socket's close (client abort or simulator close) ends the request.
    await untilAborted(scope.signal);
    return;
  }

  const input = {
    request: admitted.request,
    modelId: admitted.modelId,
    model: admitted.model,
    directives: admitted.directives,
    fault,
    inputTokens: admitted.inputTokens,
    seed: runtime.options.seed,
    latencyScale: runtime.options.latencyScale,
  };
  const plan =
    recorded?.kind === "answer"
      ? replayCompletion({ ...input, recordedText: recorded.text })
      : simulateCompletion(input);
  const meta: ResponseMeta = {
    id: `${protocol.idPrefix}${scope.requestId.slice("req_sim_".length)}`,
    created: Math.floor(Date.now() / 1000),
    model: admitted.modelId,
    requestId: scope.requestId,
  };
  const headers: OutgoingHttpHeaders = { ...rateLimitHeaders };
  if (plan.judgement) {
    // Debug aids for benchmarks: what the simulated model "thought" of the request.
    headers["x-llmr-sim-difficulty"] = String(plan.judgement.difficulty);
    headers["x-llmr-sim-confidence"] = String(plan.judgement.confidence);
  } else {
    // A recorded answer: say so, and nothing more (no record id, no grade).
    headers["x-llmr-sim-replay"] = "1";
  }
  if (admitted.request.stream) await answerStream(scope, plan, meta, admitted, headers);
  else await answerJson(scope, plan, meta, admitted, headers);
}

function chooseFault(runtime: SimulatorRuntime, admitted: AdmittedRequest): FaultDecision | undefined {
  const occurrence = runtime.occurrences.get(admitted.contentKey) ?? 0;
  runtime.occurrences.set(admitted.contentKey, occurrence + 1);
  return decideFault({
    directives: admitted.directives,
    occurrence,
    rates: admitted.model.faults ?? runtime.options.faults,
    seed: runtime.options.seed,
    contentKey: admitted.contentKey,
  });
}

async function answerJson(
  scope: RequestScope,
  plan: CompletionPlan,
  meta: ResponseMeta,
  admitted: AdmittedRequest,
  headers: OutgoingHttpHeaders,
): Promise<void> {
  if (!(await sleep(totalLatencyMs(plan.latency), scope.signal))) return;
  sendJson(scope.res, 200, scope.protocol.completionBody(plan, meta, admitted.request), headers);
  scope.record("ok");
}

async function answerStream(
  scope: RequestScope,
  plan: CompletionPlan,
  meta: ResponseMeta,
  admitted: AdmittedRequest,
  headers: OutgoingHttpHeaders,
): Promise<void> {
  const { res, signal } = scope;
  startSse(res, headers);
  for (const chunk of scope.protocol.streamChunks(plan, meta, admitted.request)) {
    if (chunk.waitMs > 0 && !(await sleep(chunk.waitMs, signal))) return;
    if (signal.aborted) return;
    if (!res.write(chunk.text) && !(await drained(res, signal))) return;
  }
  res.end();
  scope.record("ok");
}

/** Waits for the socket to take more data; false when the request was aborted meanwhile. */
function drained(res: ServerResponse, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    const onDrain = () => {
      signal.removeEventListener("abort", onAbort);
      resolve(true);
    };
    const onAbort = () => {
      res.off("drain", onDrain);
      resolve(false);
    };
    res.once("drain", onDrain);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
