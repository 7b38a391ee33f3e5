import type { CookieOptions, Request, Response } from "express";

/** The operator's session id: HttpOnly, so no script (bull-board's included) can read it. */
export const SESSION_COOKIE = "llmr_operator_session";
/**
 * The session's CSRF token, readable by the page on purpose: bull-board's UI talks to its API with
 * axios, which copies the `XSRF-TOKEN` cookie into an `X-XSRF-TOKEN` header on same-origin calls.
 * A cross-site page can neither read the cookie nor set that header.
 */
export const CSRF_COOKIE = "XSRF-TOKEN";
export const CSRF_HEADER = "x-xsrf-token";
/** Both cookies go only to the operator's pages, never to /v1. */
const COOKIE_PATH = "/admin";

/**
 * Whether the browser reached us over https. `trust proxy` is off, so `req.secure` only knows the
 * socket; `X-Forwarded-Proto: https` from a TLS-terminating proxy is believed here because it can
 * only make the cookies stricter (Secure), never looser.
 */
export function isHttps(req: Request): boolean {
  const forwarded = req.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  return req.secure || forwarded === "https";
}

/** The value of cookie `name` in the request's `Cookie` header, if sent. */
export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.get("cookie") ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    try {
      return decodeURIComponent(value);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function cookieOptions(req: Request, httpOnly: boolean, maxAgeMs?: number): CookieOptions {
  return {
    httpOnly,
    // Strict: a link or form on another site never carries the session, not even a top-level GET.
    sameSite: "strict",
    secure: isHttps(req),
    path: COOKIE_PATH,
    ...(maxAgeMs === undefined ? {} : { maxAge: maxAgeMs }),
  };
}

/** Sets the session and CSRF cookies after a login; both expire with the session. */
export function setSessionCookies(
  req: Request,
  res: Response,
  session: { id: string; csrfToken: string; ttlSeconds: number },
): void {
  const maxAgeMs = session.ttlSeconds * 1000;
  res.cookie(SESSION_COOKIE, session.id, cookieOptions(req, true, maxAgeMs));
  res.cookie(CSRF_COOKIE, session.csrfToken, cookieOptions(req, false, maxAgeMs));
}

/** Tells the browser to forget both cookies (logout, or a session that is no longer valid). */
export function clearSessionCookies(req: Request, res: Response): void {
  res.clearCookie(SESSION_COOKIE, cookieOptions(req, true));
  res.clearCookie(CSRF_COOKIE, cookieOptions(req, false));
}
