import { RequestValidationError, StorageUnavailableError } from "@llmr/core";
import type { ErrorRequestHandler } from "express";
import { HttpError } from "./http-error.ts";

interface BodyParserError extends Error {
  type?: string;
  status?: number;
  limit?: number;
}

/** Maps every error to the contract's envelope; the only place that turns errors into HTTP. */
export function errorHandler(): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const http = toHttpError(error);
    if (http.status >= 500 && http.type !== "service_unavailable") {
      req.log?.error({ err: error }, "unhandled error");
    } else if (http.status === 503) {
      req.log?.warn({ err: error }, http.message);
    }
    res.status(http.status).set(http.headers);
    res.json({
      error: {
        type: http.type,
        message: http.message,
        ...(http.param === undefined ? {} : { param: http.param }),
      },
    });
  };
}

function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof RequestValidationError) {
    const message = error.issues.map((issue) =>
      issue.param ? `${issue.param}: ${issue.message}` : issue.message,
    );
    return new HttpError(400, "invalid_request_error", message.join("; "), {
      ...(error.param === undefined ? {} : { param: error.param }),
    });
  }
  if (error instanceof StorageUnavailableError) {
    return new HttpError(503, "service_unavailable", error.message, { headers: { "Retry-After": "1" } });
  }
  const parserError = error as BodyParserError;
  switch (parserError?.type) {
    case "entity.parse.failed":
      return new HttpError(400, "invalid_request_error", `malformed JSON body: ${parserError.message}`);
    case "entity.too.large":
      return new HttpError(
        413,
        "payload_too_large",
        `request body is larger than ${parserError.limit} bytes`,
      );
    case "charset.unsupported":
    case "encoding.unsupported":
      return new HttpError(415, "unsupported_media_type", parserError.message);
    case "request.aborted":
      return new HttpError(400, "invalid_request_error", "request aborted by the client");
  }
  if (isRedisUnavailable(error)) {
    return new HttpError(503, "service_unavailable", "the job store (Redis) is unavailable", {
      headers: { "Retry-After": "1" },
    });
  }
  return new HttpError(500, "api_error", "internal error");
}

/** ioredis's ways of saying "not connected" (offline queue disabled, retries exhausted, socket closed). */
function isRedisUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return (
    error.name === "MaxRetriesPerRequestError" ||
    /Stream isn't writeable|Connection is closed|ECONNREFUSED|ECONNRESET|ETIMEDOUT/.test(error.message)
  );
}
