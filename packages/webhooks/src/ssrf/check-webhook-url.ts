import { checkAddress } from "./address-policy.ts";
import { parseIp } from "./ip-address.ts";
import type { ResolvedAddress, Resolver } from "./resolver.ts";
import { systemResolver } from "./resolver.ts";

/** Longest webhook URL accepted, in characters (browsers and proxies commonly stop near here). */
export const MAX_WEBHOOK_URL_LENGTH = 2048;

const PUBLIC_ONLY = "webhooks only go to public addresses";

/** Options of {@link checkWebhookUrl}. */
export interface CheckWebhookUrlOptions {
  /**
   * Let loopback, private and other internal targets through (local development and tests).
   * The scheme and credential rules still hold.
   * @defaultValue false
   */
  allowPrivate?: boolean;
  /** How host names are resolved. @defaultValue {@link systemResolver} */
  resolve?: Resolver;
  /**
   * Longest wait for DNS before the URL is refused as not resolving.
   * @defaultValue 5000
   */
  resolveTimeoutMs?: number;
}

/** The verdict on a webhook URL: `reason` is written for the user who sent it (a 400 on `webhook.url`). */
export type WebhookUrlCheck =
  | {
      ok: true;
      /** The URL as WHATWG `URL` normalises it (numeric hosts rewritten, e.g. `2130706433` → `127.0.0.1`). */
      url: string;
    }
  | { ok: false; reason: string };

/**
 * Checks a webhook URL when it is registered (a job or batch names it): only `http(s)`, no
 * credentials, and every address its host resolves to (all A and AAAA records) must be public.
 * Numeric host tricks (`2130706433`, `0x7f000001`, `0177.0.0.1`, `127.1`) are caught because
 * the host is judged as WHATWG `URL` parsing normalises it, which is how the URL will be dialled.
 * DNS can change after this check, so the connection itself is checked again (`createGuardedAgent`).
 *
 * @example
 * ```ts
 * await checkWebhookUrl("http://169.254.169.254/latest/meta-data");
 * // { ok: false, reason: "169.254.169.254 is a link-local address (…); webhooks only go to public addresses" }
 * ```
 */
export async function checkWebhookUrl(
  input: string,
  options: CheckWebhookUrlOptions = {},
): Promise<WebhookUrlCheck> {
  if (input.length > MAX_WEBHOOK_URL_LENGTH) {
    return { ok: false, reason: `must be at most ${MAX_WEBHOOK_URL_LENGTH} characters long` };
  }
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return { ok: false, reason: "must be an absolute http:// or https:// URL" };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return { ok: false, reason: `must use http or https, not ${url.protocol.slice(0, -1)}` };
  }
  if (url.username !== "" || url.password !== "") {
    return { ok: false, reason: "must not contain a user name or password" };
  }
  if (options.allowPrivate) return { ok: true, url: url.href };

  const host = url.hostname;
  if (parseIp(host)) {
    const verdict = checkAddress(host);
    if (verdict.allowed) return { ok: true, url: url.href };
    return { ok: false, reason: `${host} is ${verdict.description}; ${PUBLIC_ONLY}` };
  }
  // Names that always mean this machine, whatever DNS says (RFC 6761).
  const name = host.endsWith(".") ? host.slice(0, -1) : host;
  if (name === "localhost" || name.endsWith(".localhost")) {
    return { ok: false, reason: `host ${host} is this machine; ${PUBLIC_ONLY}` };
  }

  let addresses: readonly ResolvedAddress[];
  try {
    addresses = await withTimeout(
      (options.resolve ?? systemResolver)(host),
      options.resolveTimeoutMs ?? 5_000,
    );
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === "ENOTFOUND" || code === "ENODATA")
      return { ok: false, reason: `host ${host} does not resolve` };
    return {
      ok: false,
      reason: `host ${host} could not be resolved${typeof code === "string" ? ` (${code})` : ""}`,
    };
  }
  if (addresses.length === 0) return { ok: false, reason: `host ${host} does not resolve` };
  // Every record counts: a client may connect to any of them.
  for (const { address } of addresses) {
    const verdict = checkAddress(address);
    if (!verdict.allowed) {
      return {
        ok: false,
        reason: `host ${host} resolves to ${address}, ${verdict.description}; ${PUBLIC_ONLY}`,
      };
    }
  }
  return { ok: true, url: url.href };
}

async function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(Object.assign(new Error("DNS timeout"), { code: "ETIMEOUT" })),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
