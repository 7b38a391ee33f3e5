import type { Request, Response, Router } from "express";
import express from "express";
import type { KeyRing } from "../auth/key-ring.ts";
import { sha256Hex } from "../auth/key-ring.ts";
import type { OperatorSessions } from "../auth/operator-sessions.ts";
import { BULL_BOARD_PATH } from "./bull-board.ts";
import { crossSiteReason } from "./cross-site.ts";
import { LOGIN_PAGE_HEADERS, LOGIN_PATH, LOGOUT_PATH, renderLoginPage } from "./login-page.ts";
import type { LoginThrottleVerdict } from "./login-throttle.ts";
import { clearSessionCookies, readCookie, SESSION_COOKIE, setSessionCookies } from "./session-cookies.ts";

/** A login form is a few hundred bytes; anything bigger is not one. */
const LOGIN_BODY_LIMIT = "4kb";

export interface LoginRoutesDeps {
  operators: KeyRing;
  sessions: OperatorSessions;
  throttle: (clientAddress: string) => Promise<LoginThrottleVerdict>;
}

/**
 * Where to go after logging in: only a page of the dashboard, so the login form cannot be used
 * to send an operator to another site (an open redirect).
 */
export function dashboardTarget(next: unknown): string {
  if (typeof next !== "string") return BULL_BOARD_PATH;
  const inside = next === BULL_BOARD_PATH || /^\/admin\/queues[/?#]/.test(next);
  return inside && !/[\\\s]|\/\//.test(next) ? next : BULL_BOARD_PATH;
}

function page(
  res: Response,
  status: number,
  options: Parameters<typeof renderLoginPage>[0],
  headers: Record<string, string> = {},
) {
  res
    .status(status)
    .set({ ...LOGIN_PAGE_HEADERS, ...headers })
    .type("html")
    .send(renderLoginPage(options));
}

/**
 * `GET /admin/login` (the form), `POST /admin/login` (operator token → session cookie, then back
 * to the dashboard) and `GET|POST /admin/logout`. The token is checked against the configured
 * operator tokens by hash (`KeyRing`), never logged, never echoed.
 */
export function loginRouter(deps: LoginRoutesDeps): Router {
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: LOGIN_BODY_LIMIT, parameterLimit: 10 });

  router.get(LOGIN_PATH, (req, res) => {
    const loggedOut = req.query.logged_out !== undefined;
    page(res, 200, {
      next: dashboardTarget(req.query.next),
      ...(loggedOut ? { notice: "You are logged out." } : {}),
    });
  });

  router.post(LOGIN_PATH, form, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const next = dashboardTarget(body.next);
    // Login CSRF: another site must not log this browser in under a token of its choosing.
    const crossSite = crossSiteReason(req);
    if (crossSite) {
      page(res, 403, { next, message: crossSite });
      return;
    }
    const address = req.socket.remoteAddress ?? "unknown";
    const verdict = await deps.throttle(address);
    if (!verdict.allowed) {
      req.log.warn({ address }, "operator login throttled");
      page(
        res,
        429,
        { next, message: `Too many login attempts; try again in ${verdict.retryAfterS} s.` },
        { "Retry-After": String(verdict.retryAfterS) },
      );
      return;
    }
    const token = typeof body.token === "string" ? body.token : "";
    const operator = token === "" ? undefined : deps.operators.identify(token);
    if (!operator) {
      req.log.warn({ address }, "operator login refused: unknown token");
      page(res, 401, {
        next,
        message: token === "" ? "Enter the operator token." : "Unknown operator token.",
      });
      return;
    }
    const { id, session } = await deps.sessions.create(sha256Hex(token));
    setSessionCookies(req, res, { id, csrfToken: session.csrfToken, ttlSeconds: deps.sessions.ttlSeconds });
    req.log.info({ operator, address }, "operator logged in");
    res.set("Cache-Control", "no-store").redirect(303, next);
  });

  const logout = async (req: Request, res: Response) => {
    if (req.method === "POST") {
      const crossSite = crossSiteReason(req);
      if (crossSite) {
        page(res, 403, { next: BULL_BOARD_PATH, message: crossSite });
        return;
      }
    }
    // A GET is fine too (bull-board's menu links are plain links): the SameSite=Strict cookie is
    // not sent when another site links here, so no other site can log an operator out.
    const id = readCookie(req, SESSION_COOKIE);
    if (id) await deps.sessions.destroy(id);
    clearSessionCookies(req, res);
    res.set("Cache-Control", "no-store").redirect(303, `${LOGIN_PATH}?logged_out=1`);
  };
  router.get(LOGOUT_PATH, logout);
  router.post(LOGOUT_PATH, logout);
  return router;
}
