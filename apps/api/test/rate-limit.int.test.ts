import { redisFixture } from "@llmr/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auth, KEY_A, KEY_B, startTestApi } from "./start-test-api.ts";

const redis = redisFixture();
let api: Awaited<ReturnType<typeof startTestApi>>;

beforeAll(async () => {
  // 60 per minute = one a second, five at once.
  api = await startTestApi({
    redisUrl: redis.url,
    keyPrefix: redis.prefix,
    rateLimit: { requests_per_minute: 60, burst: 5 },
  });
});
afterAll(async () => {
  await api.close();
});

const hit = (key: string) =>
  fetch(`${api.url}/v1/jobs/job_00000000000000000000000000`, { headers: auth(key) });

describe("per-key request limits", () => {
  it("lets a burst through, then answers 429 with Retry-After and RateLimit headers", async () => {
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await hit(KEY_A));
    expect(answers.slice(0, 5).map((res) => res.status)).toEqual([404, 404, 404, 404, 404]);
    expect(answers[0]?.headers.get("ratelimit-policy")).toBe('"per-key";q=60;w=60;burst=5');
    expect(answers[0]?.headers.get("ratelimit")).toMatch(/^"per-key";r=4;t=\d+$/);
    const limited = answers[5];
    expect(limited?.status).toBe(429);
    expect(limited?.headers.get("retry-after")).toBe("1");
    expect(await limited?.json()).toEqual({
      error: { type: "rate_limit_error", message: "too many requests for this API key; retry in 1 s" },
    });
  });

  it("never slows another key", async () => {
    const res = await hit(KEY_B);
    expect(res.status).toBe(404);
    expect(res.headers.get("ratelimit")).toMatch(/r=4;/);
  });
});

describe("a limit that does not divide a minute", () => {
  // 7 per minute is one every 8,571.43 ms: the limiter's expiry must still be a whole number of
  // ms, or Redis refuses the write and the limiter lets everything through.
  const oddRedis = redisFixture();
  let odd: Awaited<ReturnType<typeof startTestApi>>;
  beforeAll(async () => {
    odd = await startTestApi({
      redisUrl: oddRedis.url,
      keyPrefix: oddRedis.prefix,
      rateLimit: { requests_per_minute: 7, burst: 2 },
    });
  });
  afterAll(async () => {
    await odd.close();
  });

  it("still limits: the third request of a burst of two answers 429 with a 9 s Retry-After", async () => {
    const statuses = [];
    let last: Response | undefined;
    for (let i = 0; i < 3; i++) {
      last = await fetch(`${odd.url}/v1/jobs/job_00000000000000000000000000`, { headers: auth(KEY_A) });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([404, 404, 429]);
    expect(last?.headers.get("retry-after")).toBe("9");
  });
});
