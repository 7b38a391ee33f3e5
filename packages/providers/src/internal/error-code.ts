/** How far down a `cause` chain we look for a code: SDK error → undici TypeError → socket error. */
const maxCauseDepth = 8;

/**
 * The first Node/undici error `code` (`ECONNRESET`, `UND_ERR_SOCKET`, ...) found on an error or
 * down its `cause` chain. fetch hides socket failures behind `TypeError: fetch failed`, and the
 * SDKs wrap that again, so the code is rarely on the error we catch.
 */
export function findErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < maxCauseDepth; depth++) {
    if (typeof current !== "object" || current === null) return undefined;
    if ("code" in current && typeof current.code === "string" && /^[A-Z][A-Z0-9_]+$/.test(current.code)) {
      return current.code;
    }
    current = "cause" in current ? current.cause : undefined;
  }
  return undefined;
}
