import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_CONFIG_PATH } from "@llmr/config";
import { redisFixture, startAppProcess, startRedisServer } from "@llmr/testing";
import { describe, expect, it } from "vitest";

const redis = redisFixture();

describe("start-up refusals, with a message and no stack trace", () => {
  it("a config with a mistake is refused, naming the path and the problem", async () => {
    const dir = mkdtempSync(join(tmpdir(), "llmr-bad-config-"));
    const path = join(dir, "router.yaml");
    writeFileSync(
      path,
      readFileSync(DEFAULT_CONFIG_PATH, "utf8").replace("{ model: gpt-5.4-mini, rpm", "{ model: gpt-5o, rpm"),
    );
    for (const name of ["api", "worker"] as const) {
      const app = startAppProcess(name, { ROUTER_CONFIG: path, ...redis.env });
      expect(await app.exited).toBe(78);
      expect(app.output()).toContain(`invalid router config ${path}`);
      expect(app.output()).toContain('tiers[1].deployments[0].model: unknown model "gpt-5o"');
      expect(app.output()).not.toMatch(/^\s+at /m);
    }
  });

  it("the worker refuses a Redis that may evict keys", async () => {
    const evicting = await startRedisServer({
      args: ["--save", "", "--appendonly", "no", "--maxmemory-policy", "allkeys-lru"],
    });
    try {
      const worker = startAppProcess("worker", { REDIS_URL: evicting.url });
      expect(await worker.exited).toBe(1);
      expect(worker.output()).toContain('maxmemory-policy is "allkeys-lru"');
      expect(worker.output()).toContain("noeviction");
    } finally {
      await evicting.stop();
    }
  });
});
