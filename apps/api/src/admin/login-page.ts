/** Where the login form posts, and where the dashboard sends a browser that is not logged in. */
export const LOGIN_PATH = "/admin/login";
export const LOGOUT_PATH = "/admin/logout";

/**
 * Headers of the login page: no script at all, no framing (clickjacking), the form posts only to
 * us, and nothing is cached or leaked through the Referer.
 */
export const LOGIN_PAGE_HEADERS = {
  "Content-Security-Policy":
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  "X-Frame-Options": "DENY",
  "Cache-Control": "no-store",
  "Referrer-Policy": "same-origin",
  "X-Content-Type-Options": "nosniff",
};

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (char) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[char] ?? char,
  );

/**
 * The operator's login form: one password field for the operator token. `next` is where to go
 * afterwards (already checked to stay inside the dashboard); `message` says why we are here again.
 */
export function renderLoginPage(options: { next: string; message?: string; notice?: string }): string {
  const message = options.message ? `<p class="error" role="alert">${escapeHtml(options.message)}</p>` : "";
  const notice = options.notice ? `<p class="notice" role="status">${escapeHtml(options.notice)}</p>` : "";
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Operator login · LLM router</title>
<style>
  body { margin: 0; min-height: 100vh; display: flex; align-items: center; justify-content: center;
         background: #151a21; color: #d7dde5; font: 15px/1.5 system-ui, sans-serif; }
  main { width: 22rem; padding: 2rem; background: #1e252e; border-radius: 8px; }
  h1 { margin: 0 0 1rem; font-size: 1.2rem; }
  label { display: block; margin-bottom: .4rem; }
  input { box-sizing: border-box; width: 100%; padding: .55rem; border: 1px solid #3a4552;
          border-radius: 4px; background: #11161c; color: inherit; font: inherit; }
  button { margin-top: 1rem; width: 100%; padding: .6rem; border: 0; border-radius: 4px;
           background: #4f7cff; color: #fff; font: inherit; cursor: pointer; }
  .error { color: #ff8a80; } .notice { color: #9ccc65; } small { color: #8b96a5; }
</style>
</head>
<body>
<main>
<h1>LLM router · operator login</h1>
${message}${notice}<form method="post" action="${LOGIN_PATH}">
<input type="hidden" name="next" value="${escapeHtml(options.next)}">
<label for="token">Operator token</label>
<input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
<button type="submit">Log in</button>
</form>
<p><small>The token is <code>LLMR_OPERATOR_TOKEN</code> or one of <code>auth.operator_tokens</code>.</small></p>
</main>
</body>
</html>
`;
}
