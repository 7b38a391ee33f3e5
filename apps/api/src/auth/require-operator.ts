import type { Request, RequestHandler } from "express";
import { HttpError } from "../http/http-error.ts";
import type { KeyRing } from "./key-ring.ts";

/** How a request presented the operator token in its `Authorization` header. */
export type OperatorScheme = "bearer" | "basic";

/**
 * The operator token a request carries in `Authorization`: as a Bearer token, or as the password
 * of HTTP Basic (any user name). Undefined when the header holds neither.
 */
export function presentedOperatorToken(req: Request): { secret: string; scheme: OperatorScheme } | undefined {
  const header = req.get("authorization") ?? "";
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (bearer?.[1]) return { secret: bearer[1], scheme: "bearer" };
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1], "base64").toString("utf8");
    return { secret: decoded.slice(decoded.indexOf(":") + 1), scheme: "basic" };
  }
  return undefined;
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
