import type { TokenScheme } from "@llmr/auth";
import { presentedToken } from "@llmr/auth";
import type { Request, RequestHandler } from "express";
import { HttpError } from "../http/http-error.ts";
import type { KeyRing } from "./key-ring.ts";

/** How a request presented the operator token in its `Authorization` header. */
export type OperatorScheme = TokenScheme;

/**
 * The operator token a request carries in `Authorization`: as a Bearer token, or as the password
 * of HTTP Basic (any user name). Undefined when the header holds neither. The parsing is
 * `@llmr/auth`'s, shared with the worker's `/metrics` port.
 */
export function presentedOperatorToken(req: Request): { secret: string; scheme: OperatorScheme } | undefined {
  return presentedToken(req.get("authorization"));
}

/**
 * Operator routes for scripts (`/v1/admin/*`, metrics) take the operator token as a Bearer token
 * (scripts, Prometheus) or as HTTP Basic password. Never in the URL. Humans use the dashboard's
 * login page instead (`admin/login-routes.ts`).
 */
export function requireOperator(operators: KeyRing): RequestHandler {
  return (req, _res, next) => {
    const presented = presentedOperatorToken(req);
    if (presented && operators.identify(presented.secret)) {
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
