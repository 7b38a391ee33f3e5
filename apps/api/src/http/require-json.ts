import type { RequestHandler } from "express";
import { HttpError } from "./http-error.ts";

/** 415 unless the body is declared `application/json` (a missing body is left to validation). */
export function requireJson(): RequestHandler {
  return (req, _res, next) => {
    const hasBody =
      req.get("content-length") !== "0" && (req.get("content-length") || req.get("transfer-encoding"));
    if (hasBody && !req.is("application/json")) {
      next(
        new HttpError(
          415,
          "unsupported_media_type",
          `Content-Type must be application/json (got ${req.get("content-type") ?? "none"})`,
        ),
      );
      return;
    }
    next();
  };
}
