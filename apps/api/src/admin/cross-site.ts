import type { Request } from "express";
import type { OperatorSession } from "../auth/operator-sessions.ts";
import { csrfTokenMatches } from "../auth/operator-sessions.ts";
import { HttpError } from "../http/http-error.ts";
import { CSRF_COOKIE, CSRF_HEADER } from "./session-cookies.ts";

/** Methods that change nothing; everything else must prove it comes from our own pages. */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function isUnsafeMethod(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

/**
 * Why the browser says this request was sent by another site, or undefined when it does not say
 * so. `Sec-Fetch-Site` is the browser's own verdict (sent on https and localhost); `Origin` is
 * sent by every browser on a POST, PUT, PATCH or DELETE and is compared with our `Host` (the
 * scheme is left out: behind a TLS-terminating proxy we see http while the browser saw https).
 */
export function crossSiteReason(req: Request): string | undefined {
  const fetchSite = req.get("sec-fetch-site")?.toLowerCase();
  if (fetchSite !== undefined && fetchSite !== "same-origin") {
    return `cross-site request refused (Sec-Fetch-Site: ${fetchSite})`;
  }
  const origin = req.get("origin");
  if (origin === undefined) return undefined;
  let host: string | undefined;
  try {
    host = new URL(origin).host;
  } catch {
    host = undefined;
  }
  if (host === undefined || host === "" || host !== req.get("host")) {
    return `cross-site request refused (Origin ${origin.slice(0, 200)} is not this site)`;
  }
  return undefined;
}

/**
 * CSRF defence of a state-changing request authenticated by the session cookie. The cookie is
 * SameSite=Strict already; on top of that, a browser that names another site is refused, and the
 * request must carry the session's CSRF token in `X-XSRF-TOKEN` (bull-board's axios copies it
 * from the `XSRF-TOKEN` cookie by itself), which no other site can read or forge.
 */
export function checkSessionCsrf(req: Request, session: OperatorSession): HttpError | undefined {
  const crossSite = crossSiteReason(req);
  if (crossSite) return forbidden(crossSite);
  const presented = req.get(CSRF_HEADER);
  if (presented === undefined) {
    return forbidden(`missing CSRF token: send the ${CSRF_COOKIE} cookie's value in the X-XSRF-TOKEN header`);
  }
  if (!csrfTokenMatches(session, presented)) return forbidden("CSRF token does not match the session");
  return undefined;
}

export function forbidden(message: string): HttpError {
  return new HttpError(403, "permission_error", message);
}
