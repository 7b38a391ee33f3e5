import type { RequestHandler } from "express";
import { HttpError } from "../http/http-error.ts";
import type { KeyRing } from "./key-ring.ts";

declare global {
  namespace Express {
    interface Locals {
      /** Name of the API key that made the request: the tenant. */
      tenant: string;
    }
  }
}

/** `Authorization: Bearer <key>` on every /v1 route; the key's name becomes the request's tenant. */
export function requireApiKey(keys: KeyRing): RequestHandler {
  return (req, res, next) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get("authorization") ?? "");
    const tenant = match?.[1] ? keys.identify(match[1]) : undefined;
    if (!tenant) {
      next(
        new HttpError(
          401,
          "authentication_error",
          match ? "unknown API key" : "missing API key: send Authorization: Bearer <key>",
          { headers: { "WWW-Authenticate": 'Bearer realm="llmr"' } },
        ),
      );
      return;
    }
    res.locals.tenant = tenant;
    next();
  };
}
