import type { ResolvedDeployment, ResolvedTask } from "@llmr/config";
import type { ChatMessage, CompletionRequest, ResponseFormat } from "@llmr/providers";
import { selfReportInstruction, withConfidenceField } from "@llmr/routing";
import type { NormalizedRequest } from "./job-record.ts";

export interface BuiltRequest {
  request: CompletionRequest;
  /** The answer carries a `confidence` field we asked for (and strip from `output_json`). */
  asksSelfReport: boolean;
}

/**
 * The provider request for one attempt: the job's messages and options, `max_output_tokens` capped
 * by the model, logprobs where the model offers them, and, for tasks that use a self-reported
 * confidence, a `confidence` field added to the JSON the model must produce.
 */
export function buildCompletionRequest(
  job: NormalizedRequest,
  task: ResolvedTask,
  deployment: ResolvedDeployment,
): BuiltRequest {
  const maxOutput = deployment.model.maxOutputTokens;
  let messages: ChatMessage[] = job.messages;
  let responseFormat: ResponseFormat | undefined = job.response_format;
  let asksSelfReport = false;
  if (task.selfReportedConfidence && responseFormat?.type === "json_schema") {
    const schema = responseFormat.json_schema.schema;
    if (!hasConfidenceProperty(schema)) {
      responseFormat = {
        ...responseFormat,
        json_schema: { ...responseFormat.json_schema, schema: withConfidenceField(schema) },
      };
      asksSelfReport = true;
    }
  } else if (task.selfReportedConfidence && responseFormat?.type === "json_object") {
    messages = [{ role: "system", content: selfReportInstruction() }, ...messages];
    asksSelfReport = true;
  }
  return {
    asksSelfReport,
    request: {
      model: deployment.model.modelId,
      messages,
      maxOutputTokens: maxOutput ? Math.min(maxOutput, job.max_output_tokens) : job.max_output_tokens,
      ...(job.temperature === undefined ? {} : { temperature: job.temperature }),
      ...(responseFormat === undefined ? {} : { responseFormat }),
      logprobs: deployment.model.capabilities.logprobs,
    },
  };
}

function hasConfidenceProperty(schema: Record<string, unknown>): boolean {
  const properties = schema.properties;
  return typeof properties === "object" && properties !== null && "confidence" in properties;
}

/** The parsed answer, without the `confidence` field we added ourselves; null when it does not parse. */
export function parseOutputJson(text: string, stripConfidence: boolean): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (stripConfidence && typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) {
    const { confidence: _confidence, ...rest } = parsed as Record<string, unknown>;
    return rest;
  }
  return parsed;
}
