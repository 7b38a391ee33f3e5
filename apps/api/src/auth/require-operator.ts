import type { RequestHandler } from "express";
import { HttpError } from "../http/http-error.ts";
import type { KeyRing } from "./key-ring.ts";

/**
 * Operator routes (bull-board, metrics) take the operator token as HTTP Basic password (any user
 * name; browsers prompt for it) or as a Bearer token (scripts, Prometheus). Never in the URL.
 */
export function requireOperator(operators: KeyRing): RequestHandler {
  return (req, _res, next) => {
    const header = req.get("authorization") ?? "";
    let secret: string | undefined;
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
    if (bearer) secret = bearer[1];
    else if (basic?.[1]) {
      const decoded = Buffer.from(basic[1], "base64").toString("utf8");
      secret = decoded.slice(decoded.indexOf(":") + 1);
    }
    if (secret && operators.identify(secret)) {
      next();
      return;
    }
    next(
      new HttpError(401, "authentication_error", "operator credential required", {
        headers: { "WWW-Authenticate": 'Basic realm="llmr operator", charset="UTF-8"' },
      }),
    );
  };
}
