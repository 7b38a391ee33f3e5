import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { DEFAULT_CONFIG_PATH, JOB_CLASSES, loadConfig } from "@llmr/config";
import { REPO_ROOT } from "@llmr/testing";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

interface Service {
  command?: string[];
  environment?: string[];
}

/** `KEY=value` entries of a compose service's environment list (a bare `KEY` passes the host's). */
function envOf(service: Service): Map<string, string> {
  return new Map(
    (service.environment ?? []).flatMap((entry) => {
      const at = entry.indexOf("=");
      return at < 0 ? [] : [[entry.slice(0, at), entry.slice(at + 1)] as [string, string]];
    }),
  );
}

describe("docker-compose.yml", () => {
  it("runs every tier × class of the shipped config in exactly one worker service", () => {
    const compose = parse(readFileSync(resolve(REPO_ROOT, "docker-compose.yml"), "utf8")) as {
      services: Record<string, Service>;
    };
    const config = loadConfig(DEFAULT_CONFIG_PATH, { env: {} });
    const served = new Map<string, string[]>();
    for (const [name, service] of Object.entries(compose.services)) {
      if (!service.command?.includes("apps/worker/src/main.ts")) continue;
      const env = envOf(service);
      const tiers = env.get("WORKER_TIERS")?.split(",") ?? config.tiers.map((tier) => tier.name);
      const classes = env.get("WORKER_CLASSES")?.split(",") ?? [...JOB_CLASSES];
      for (const tier of tiers)
        for (const jobClass of classes)
          served.set(`${tier}-${jobClass}`, [...(served.get(`${tier}-${jobClass}`) ?? []), name]);
    }
    const expected = config.tiers.flatMap((tier) =>
      JOB_CLASSES.map((jobClass) => `${tier.name}-${jobClass}`),
    );
    expect([...served.keys()].sort()).toEqual([...expected].sort());
    for (const [queue, services] of served) expect(services, queue).toHaveLength(1);
    // Interactive and batch never share a process (README, "Running it in production").
    expect(served.get("fast-interactive")).not.toEqual(served.get("fast-batch"));
  });
});
