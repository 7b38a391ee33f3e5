import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { RunningSimulator } from "@llmr/simulator";
import { simMarker, startSimulator } from "@llmr/simulator";
import type { AppProcess } from "@llmr/testing";
import { findFreePort, redisFixture, startAppProcess, waitUntilReady } from "@llmr/testing";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobFrom } from "./api-answers.ts";
import { launchChromium, requireChromium, screenshot } from "./browser.ts";
import { bullJob, jobsInQueue } from "./bull-board-api.ts";
import { writeRouterConfig } from "./router-config-file.ts";

const API_KEY = "llmr_e2e_board_0123456789abcdef0123456";
const OPERATOR_TOKEN = "llmr_e2e_board_operator_token_0123456789";
const SHOTS = "bull-board";
const chromiumPath = requireChromium();
const redis = redisFixture();

let simulator: RunningSimulator;
let api: AppProcess;
let readOnlyApi: AppProcess;
let worker: AppProcess;
let apiUrl: string;
let readOnlyUrl: string;
let browser: Browser;
/** The failed job: our job id and its BullMQ job (first hop) on the fast · interactive queue. */
let failed: { id: string; bullJobId: string };
const QUEUE = "{fast-interactive}";
/** How long the UI may take to show something (generous: CI machines are small and busy). */
const UI_WAIT = { timeout: 20_000, interval: 100 };

beforeAll(async () => {
  if (!chromiumPath) return;
  simulator = await startSimulator({ port: 0, latencyScale: 0 });
  const env = {
    ...redis.env,
    SIMULATOR_URL: simulator.url,
    LLMR_API_KEYS: `board:${API_KEY}`,
    LLMR_OPERATOR_TOKEN: OPERATOR_TOKEN,
  };
  const [port, readOnlyPort] = [await findFreePort(), await findFreePort()];
  apiUrl = `http://127.0.0.1:${port}`;
  readOnlyUrl = `http://127.0.0.1:${readOnlyPort}`;
  // Two API processes over the same queues: one as shipped, one configured read-only.
  api = startAppProcess("api", {
    ...env,
    ROUTER_CONFIG: writeRouterConfig(redis.prefix),
    PORT: String(port),
  });
  readOnlyApi = startAppProcess("api", {
    ...env,
    ROUTER_CONFIG: writeRouterConfig(redis.prefix, "admin:\n  bull_board:\n    read_only: true\n"),
    PORT: String(readOnlyPort),
  });
  worker = startAppProcess("worker", { ...env, ROUTER_CONFIG: writeRouterConfig(redis.prefix) });
  await Promise.all([
    waitUntilReady(api, `${apiUrl}/readyz`),
    waitUntilReady(readOnlyApi, `${readOnlyUrl}/readyz`),
  ]);
  browser = await launchChromium(chromiumPath);
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([api?.stop(), readOnlyApi?.stop(), worker?.stop()]);
  await simulator?.close();
});

/** A job the provider refuses as a bad request (fatal): the worker fails its BullMQ job for good. */
async function submitFailingJob(): Promise<{ id: string; bullJobId: string }> {
  const res = await fetch(`${apiUrl}/v1/jobs`, {
    method: "POST",
    headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
    body: JSON.stringify({
      class: "interactive",
      tier: "fast",
      input: `Say hi ${simMarker({ fault: "400" })}`,
    }),
  });
  expect(res.status).toBe(202);
  const { id } = await jobFrom(res);
  return { id, bullJobId: `${id}.1` };
}

/** Polls until `check` holds, failing with `what` and the worker's output after `timeoutMs`. */
async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`${what}: not after ${timeoutMs} ms; worker said:\n${worker.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function logIn(context: BrowserContext, baseUrl: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${baseUrl}/admin/queues`);
  await page.fill("#token", OPERATOR_TOKEN);
  await Promise.all([page.waitForURL(`${baseUrl}/admin/queues`), page.click("button[type=submit]")]);
  return page;
}

/** The retry button of a job card (bull-board draws icon buttons without labels). */
const RETRY_BUTTON = "ul[class*=jobActions] button:has(svg.lucide-refresh-cw)";
const failedPage = (baseUrl: string) =>
  `${baseUrl}/admin/queues/queue/${encodeURIComponent(QUEUE)}?status=failed`;

describe.skipIf(!chromiumPath)("bull-board in a real browser", () => {
  it("sends a visitor to the login page, and answers its API 401 without a session", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${apiUrl}/admin/queues`);
    expect(page.url()).toBe(`${apiUrl}/admin/login?next=%2Fadmin%2Fqueues`);
    await expect.poll(() => page.locator("#token").isVisible(), UI_WAIT).toBe(true);
    await screenshot(page, SHOTS, "01-login-page");

    const api401 = await page.request.get(`${apiUrl}/admin/queues/api/queues`);
    expect(api401.status()).toBe(401);
    expect(((await api401.json()) as { error: { type: string } }).error.type).toBe("authentication_error");

    await page.fill("#token", "not-the-operator-token");
    await page.click("button[type=submit]");
    await expect
      .poll(() => page.locator("[role=alert]").textContent(), UI_WAIT)
      .toBe("Unknown operator token.");
    await screenshot(page, SHOTS, "02-wrong-token");
    await context.close();
  });

  it("logs in and shows every tier × class queue and the webhook queue", async () => {
    const context = await browser.newContext();
    const page = await logIn(context, apiUrl);
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === "llmr_operator_session")).toMatchObject({
      httpOnly: true,
      sameSite: "Strict",
      path: "/admin",
    });
    const sidebar = page.locator("nav, aside").first();
    for (const queue of [
      "{fast-interactive}",
      "{fast-batch}",
      "{standard-interactive}",
      "{standard-batch}",
      "{capable-interactive}",
      "{capable-batch}",
      "{webhooks}",
    ]) {
      await expect.poll(() => sidebar.getByText(queue, { exact: true }).count(), UI_WAIT).toBe(1);
    }
    await screenshot(page, SHOTS, "03-queues");
    await context.close();
  });

  it("shows a job that failed for good with its error", async () => {
    failed = await submitFailingJob();
    // Our job record fails first; then the worker throws UnrecoverableError and BullMQ fails its job.
    const { job } = await eventually("the BullMQ job failed", async () => {
      const state = await bullJob(apiUrl, OPERATOR_TOKEN, QUEUE, failed.bullJobId);
      // bull-board reads the job, then its state: a read while BullMQ moves it to failed can say
      // "failed" with the job as it was a moment before (no reason yet). Ask again until both agree.
      return state.status === "failed" && state.job.failedReason !== undefined ? state : undefined;
    });
    expect(job.failedReason).toBe("openai: 400 Simulated invalid request. (llmr simulator)");
    const context = await browser.newContext();
    const page = await logIn(context, apiUrl);
    await page.goto(failedPage(apiUrl));
    const card = page.locator("[class*=card]", { hasText: failed.bullJobId }).last();
    await expect.poll(() => card.isVisible(), UI_WAIT).toBe(true);
    await expect
      .poll(() => card.textContent(), UI_WAIT)
      .toContain("UnrecoverableError: openai: 400 Simulated invalid request.");
    await screenshot(page, SHOTS, "04-failed-job");
    await context.close();
  });

  it("hides and refuses the retry on a read-only dashboard", async () => {
    const context = await browser.newContext();
    const page = await logIn(context, readOnlyUrl);
    await page.goto(failedPage(readOnlyUrl));
    const card = page.locator("[class*=card]", { hasText: failed.bullJobId }).last();
    await expect.poll(() => card.isVisible(), UI_WAIT).toBe(true);
    await expect.poll(() => card.textContent(), UI_WAIT).toContain("UnrecoverableError");
    expect(await page.locator(RETRY_BUTTON).count()).toBe(0);
    expect(await page.getByText("Retry all").count()).toBe(0);
    await screenshot(page, SHOTS, "05-read-only");

    // The same call the UI would make, with the session's CSRF token: bull-board refuses it.
    const csrf = (await context.cookies()).find((c) => c.name === "XSRF-TOKEN")?.value ?? "";
    const res = await page.request.put(
      `${readOnlyUrl}/admin/queues/api/queues/${encodeURIComponent(QUEUE)}/${failed.bullJobId}/retry`,
      { headers: { "x-xsrf-token": csrf } },
    );
    expect(res.status()).toBe(405);
    expect((await bullJob(apiUrl, OPERATOR_TOKEN, QUEUE, failed.bullJobId)).status).toBe("failed");
    await context.close();
  });

  it("refuses a cross-site form post that carries the session cookie", async () => {
    const context = await browser.newContext();
    const page = await logIn(context, apiUrl);
    // Another origin on the same host: the same site for SameSite, so the cookie goes along and only
    // the CSRF checks stand between it and the queue.
    const evil = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" }).end(
        `<form id="f" method="post" action="${apiUrl}/admin/queues/api/queues/${encodeURIComponent(QUEUE)}/add">
           <input name="name" value="evil"></form><script>document.getElementById("f").submit()</script>`,
      );
    });
    await new Promise<void>((resolve) => evil.listen(0, "127.0.0.1", resolve));
    try {
      const evilUrl = `http://127.0.0.1:${(evil.address() as AddressInfo).port}/`;
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith("/add")),
        page.goto(evilUrl),
      ]);
      expect(response.status()).toBe(403);
      expect(await response.request().headerValue("cookie")).toContain("llmr_operator_session=");
      const body = (await response.json()) as { error: { type: string; message: string } };
      expect(body.error).toEqual({
        type: "permission_error",
        message: "cross-site request refused (Sec-Fetch-Site: same-site)",
      });
      await screenshot(page, SHOTS, "06-cross-site-refused");
      // Nothing was added: the queue still holds just the failed job.
      expect(await jobsInQueue(apiUrl, OPERATOR_TOKEN, QUEUE)).toBe(1);
    } finally {
      evil.closeAllConnections();
      await new Promise((resolve) => evil.close(resolve));
      await context.close();
    }
  });

  it("retries the failed job through the UI, and the worker takes it up again", async () => {
    const context = await browser.newContext();
    const page = await logIn(context, apiUrl);
    await page.goto(failedPage(apiUrl));
    const card = page.locator("[class*=card]", { hasText: failed.bullJobId }).last();
    await expect.poll(() => card.isVisible(), UI_WAIT).toBe(true);
    await card.locator(RETRY_BUTTON).click();
    const confirm = page.getByRole("button", { name: "Confirm" });
    await confirm.waitFor({ timeout: UI_WAIT.timeout });
    await screenshot(page, SHOTS, "07-retry-confirm");
    const [retry] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(`/${failed.bullJobId}/retry`)),
      confirm.click(),
    ]);
    // The UI's own call passed the CSRF check: axios sent the XSRF-TOKEN cookie as X-XSRF-TOKEN.
    expect(retry.status()).toBe(204);
    expect(await retry.request().headerValue("x-xsrf-token")).toMatch(/^[\w-]{43}$/);

    // The worker ran it again: the job record had already failed, so it finishes at once as
    // "skipped" (and re-sends any webhook) without calling the provider a second time.
    const { job } = await eventually("the retried job completed", async () => {
      const state = await bullJob(apiUrl, OPERATOR_TOKEN, QUEUE, failed.bullJobId);
      return state.status === "completed" ? state : undefined;
    });
    expect(job.returnValue).toBe("skipped");
    const record = await fetch(`${apiUrl}/v1/jobs/${failed.id}`, {
      headers: { authorization: `Bearer ${API_KEY}` },
    });
    expect((await jobFrom(record)).status).toBe("failed");

    await page.goto(`${apiUrl}/admin/queues/queue/${encodeURIComponent(QUEUE)}?status=completed`);
    await expect.poll(() => page.getByText(failed.bullJobId).count(), UI_WAIT).toBeGreaterThan(0);
    await screenshot(page, SHOTS, "08-retried-completed");
    await context.close();
  });

  it("logs out from the dashboard's menu, and the old cookie opens nothing", async () => {
    const context = await browser.newContext();
    const page = await logIn(context, apiUrl);
    const session = (await context.cookies()).find((c) => c.name === "llmr_operator_session")?.value ?? "";
    await page.locator("header button:has(svg.lucide-circle-user)").click();
    await Promise.all([
      page.waitForURL(`${apiUrl}/admin/login?logged_out=1`),
      page.getByText("Log out", { exact: true }).click(),
    ]);
    await expect.poll(() => page.locator("[role=status]").textContent(), UI_WAIT).toBe("You are logged out.");
    await screenshot(page, SHOTS, "09-logged-out");
    const res = await fetch(`${apiUrl}/admin/queues/api/queues`, {
      headers: { cookie: `llmr_operator_session=${session}` },
    });
    expect(res.status).toBe(401);
    for (const app of [api, readOnlyApi, worker]) {
      expect(app.output()).not.toContain(OPERATOR_TOKEN);
      expect(app.output()).not.toContain(session);
    }
    await context.close();
  });
});
