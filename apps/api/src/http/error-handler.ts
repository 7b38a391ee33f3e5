import { RequestValidationError, StorageUnavailableError } from "@llmr/core";
import type { ErrorRequestHandler } from "express";
import { HttpError } from "./http-error.ts";

interface BodyParserError extends Error {
  type?: string;
  status?: number;
  limit?: number;
  charset?: string;
  code?: string;
  /** The raw body, on parse errors. */
  body?: unknown;
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
      return new HttpError(400, "invalid_request_error", malformedJsonMessage(parserError));
    case "entity.too.large":
      return new HttpError(
        413,
        "payload_too_large",
        `request body is larger than ${parserError.limit} bytes`,
      );
    case "charset.unsupported":
      return new HttpError(
        415,
        "unsupported_media_type",
        `unsupported charset "${parserError.charset ?? "?"}": send the body as UTF-8 (Content-Type: application/json; charset=utf-8)`,
      );
    case "encoding.unsupported":
      return new HttpError(415, "unsupported_media_type", parserError.message);
    case "body.invalid_utf8":
      return new HttpError(
        400,
        "invalid_request_error",
        "the request body is not valid UTF-8: encode the JSON as UTF-8",
      );
    case "request.aborted":
      return new HttpError(400, "invalid_request_error", "request aborted by the client");
  }
  // The router could not percent-decode a path segment (`/v1/jobs/%ff`).
  if (error instanceof URIError) {
    return new HttpError(400, "invalid_request_error", "the URL path is not valid percent-encoded UTF-8");
  }
  // A body that could not be read as sent: a corrupt gzip/deflate/br stream, a length that does
  // not match Content-Length. Body-parser marks these 400 without a `type`; the client's to fix.
  if (parserError?.status === 400) {
    const zlib = typeof parserError.code === "string" && parserError.code.startsWith("Z_");
    const message = zlib
      ? `the request body could not be decompressed as its Content-Encoding says (${parserError.message})`
      : `the request body could not be read: ${parserError.message}`;
    return new HttpError(400, "invalid_request_error", message);
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

/**
 * Body-parser refuses a body that is not an object or array as if it were broken JSON
 * (`Unexpected token '1', "1" is not valid JSON`); say what is actually wrong.
 */
function malformedJsonMessage(error: BodyParserError): string {
  const body = typeof error.body === "string" ? error.body.trim() : "";
  if (body !== "" && !body.startsWith("{") && !body.startsWith("[")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return `malformed JSON body: ${error.message}`;
    }
    const kind =
      parsed === null ? "null" : typeof parsed === "boolean" ? "true or false" : `a ${typeof parsed}`;
    return `the request body must be a JSON object, not ${kind}`;
  }
  return `malformed JSON body: ${error.message}`;
}
