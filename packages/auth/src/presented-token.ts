/** How a request presented its token in the `Authorization` header. */
export type TokenScheme = "bearer" | "basic";

/**
 * The secret an `Authorization` header carries: a Bearer token (scripts, Prometheus), or the
 * password of HTTP Basic with any user name (browsers prompt for it). Undefined when the header
 * holds neither. Tokens are never taken from the URL, where logs and proxies would keep them.
 */
export function presentedToken(
  authorization: string | undefined,
): { secret: string; scheme: TokenScheme } | undefined {
  const header = authorization ?? "";
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (bearer?.[1]) return { secret: bearer[1], scheme: "bearer" };
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1], "base64").toString("utf8");
    return { secret: decoded.slice(decoded.indexOf(":") + 1), scheme: "basic" };
  }
  return undefined;
}
