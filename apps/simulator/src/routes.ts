/**
 * URL routing: the two completion endpoints, model listing in either vendor's shape, health, and the
 * simulator's own `/_sim/*` control endpoints. Every answer carries `x-llmr-simulator: 1` so nobody
 * mistakes it for a real vendor.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { anthropicProtocol } from "./anthropic-protocol.ts";
import { handleCompletion } from "./handle-completion.ts";
import { sendJson } from "./http-io.ts";
import { openAiProtocol } from "./openai-protocol.ts";
import type { ErrorResponse, ProtocolAdapter } from "./protocol.ts";
import { resetRuntime, type SimulatorRuntime, statsOf } from "./runtime.ts";

/** Unix seconds the simulated models claim to have been created at (a fixed, obviously fake date). */
const modelCreatedAtS = 1_700_000_000;

export async function route(
  runtime: SimulatorRuntime,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  res.setHeader("x-llmr-simulator", "1");
  const path = new URL(req.url ?? "/", "http://simulator").pathname.replace(/\/+$/, "") || "/";
  const method = req.method ?? "GET";

  if (method === "POST" && path === "/v1/chat/completions") {
    await handleCompletion(runtime, openAiProtocol, req, res);
  } else if (method === "POST" && path === "/v1/messages") {
    await handleCompletion(runtime, anthropicProtocol, req, res);
  } else if (method === "GET" && path === "/healthz") {
    sendJson(res, 200, { status: "ok", simulator: true });
  } else if (method === "GET" && path === "/_sim/stats") {
    sendJson(res, 200, statsOf(runtime));
  } else if (method === "POST" && path === "/_sim/reset") {
    resetRuntime(runtime);
    sendJson(res, 200, { reset: true });
  } else if (method === "GET" && (path === "/v1/models" || path.startsWith("/v1/models/"))) {
    const id = decodeURIComponent(path.slice("/v1/models/".length));
    const answer = modelsAnswer(runtime, req, id);
    sendJson(res, answer.status, answer.body);
  } else {
    // Drain any body so the keep-alive connection stays usable after the 404.
    req.resume();
    const protocol = path.startsWith("/v1/messages") ? anthropicProtocol : openAiProtocol;
    const answer = protocol.error({ kind: "route_not_found", method, path }, "req_sim_none");
    sendJson(res, answer.status, answer.body);
  }
}

/** `GET /v1/models[/id]`, in Anthropic's shape when the client sends `anthropic-version`. */
function modelsAnswer(runtime: SimulatorRuntime, req: IncomingMessage, id: string): ErrorResponse {
  const protocol: ProtocolAdapter = req.headers["anthropic-version"] ? anthropicProtocol : openAiProtocol;
  const apiKey = protocol.apiKey(req.headers);
  const allowed = runtime.options.apiKeys;
  if (apiKey === undefined) return protocol.error({ kind: "missing_key" }, "req_sim_models");
  if (allowed && !allowed.has(apiKey)) return protocol.error({ kind: "invalid_key" }, "req_sim_models");

  const describe = (modelId: string) =>
    protocol.name === "anthropic"
      ? {
          id: modelId,
          type: "model",
          display_name: `${modelId} (simulated)`,
          created_at: new Date(modelCreatedAtS * 1000).toISOString(),
        }
      : {
          id: modelId,
          object: "model",
          created: modelCreatedAtS,
          owned_by: runtime.models.get(modelId)?.ownedBy,
        };
  if (id.length > 0) {
    if (!runtime.models.has(id))
      return protocol.error({ kind: "model_not_found", model: id }, "req_sim_models");
    return { status: 200, body: describe(id) };
  }
  const ids = [...runtime.models.keys()];
  if (protocol.name === "anthropic") {
    const body = {
      data: ids.map(describe),
      has_more: false,
      first_id: ids[0] ?? null,
      last_id: ids.at(-1) ?? null,
    };
    return { status: 200, body };
  }
  return { status: 200, body: { object: "list", data: ids.map(describe) } };
}
