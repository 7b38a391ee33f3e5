/**
 * The parts of a job request routing looks at, typed structurally so this package need not import
 * the providers or core packages: core's validated request and the providers' `ChatMessage` and
 * `ResponseFormat` are assignable to these.
 */

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

/** The `type` of a request's `response_format` (`text` when the request gives none). */
export type ResponseFormatType = "text" | "json_object" | "json_schema";

/** A request's `response_format` as the public contract defines it. */
export type ResponseFormat =
  | { type: "text" }
  | { type: "json_object" }
  | {
      type: "json_schema";
      json_schema: { name: string; schema: Record<string, unknown>; strict?: boolean; description?: string };
    };
