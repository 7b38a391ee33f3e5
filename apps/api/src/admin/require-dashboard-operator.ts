import type { Request, RequestHandler } from "express";
import type { KeyRing } from "../auth/key-ring.ts";
import type { OperatorSessions } from "../auth/operator-sessions.ts";
import { presentedOperatorToken } from "../auth/require-operator.ts";
import { HttpError } from "../http/http-error.ts";
import { checkSessionCsrf, crossSiteReason, forbidden, isUnsafeMethod } from "./cross-site.ts";
import { LOGIN_PATH } from "./login-page.ts";
import { clearSessionCookies, readCookie, SESSION_COOKIE } from "./session-cookies.ts";

/**
 * A browser opening a page (not bull-board's JSON API, not a script asking for JSON) is sent to
 * the login form; everything else gets a 401 it can act on.
 */
function wantsPage(req: Request): boolean {
  return (
    (req.method === "GET" || req.method === "HEAD") &&
    !req.path.startsWith("/api/") &&
    (req.get("accept") ?? "").includes("text/html")
  );
}

/**
 * Guards bull-board (mounted at `/admin/queues`). Two ways in:
 * - the session cookie of `/admin/login`, for people; a state-changing call must also pass the
 *   CSRF check (`checkSessionCsrf`);
 * - the operator token in `Authorization` (Bearer, or Basic for old bookmarks and scripts). Bearer
 *   is never sent by a browser on its own, so it needs no CSRF check; Basic is (browsers replay
 *   it), so a state-changing Basic call that the browser marks as cross-site is refused.
 *
 * Not logged in: a page request is redirected (303) to the login form, any other request gets
 * 401 JSON. The 401 challenges with Bearer, not Basic, so that an expired session makes the
 * dashboard's calls fail instead of popping up the browser's password dialog.
 */
export function requireDashboardOperator(operators: KeyRing, sessions: OperatorSessions): RequestHandler {
  return async (req, res, next) => {
    const presented = presentedOperatorToken(req);
    if (presented) {
      if (!operators.identify(presented.secret)) {
        next(
          unauthorized("operator credential required: the token in Authorization is not an operator token"),
        );
        return;
      }
      const crossSite =
        presented.scheme === "basic" && isUnsafeMethod(req.method) ? crossSiteReason(req) : undefined;
      next(crossSite ? forbidden(crossSite) : undefined);
      return;
    }

    const id = readCookie(req, SESSION_COOKIE);
    const session = id ? await sessions.find(id) : undefined;
    // The session stands only while the token that opened it is still configured.
    if (session && operators.identifyHash(session.credentialSha256) !== undefined) {
      next(isUnsafeMethod(req.method) ? checkSessionCsrf(req, session) : undefined);
      return;
    }
    // A session whose token was rotated away is deleted, not just ignored.
    if (id && session) await sessions.destroy(id);
    if (id) clearSessionCookies(req, res);
    if (wantsPage(req)) {
      res.redirect(303, `${LOGIN_PATH}?next=${encodeURIComponent(req.originalUrl)}`);
      return;
    }
    next(
      unauthorized(
        `operator credential required: log in at ${LOGIN_PATH}, or send the operator token as Authorization: Bearer`,
      ),
    );
  };
}

function unauthorized(message: string): HttpError {
  return new HttpError(401, "authentication_error", message, {
    headers: { "WWW-Authenticate": 'Bearer realm="llmr operator"' },
  });
}
