import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { IScaledObject } from "@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject";
import type { JobClass } from "@llmr/config";
import { JOB_CLASSES } from "@llmr/config";
import { TierQueues, tierQueueName } from "@llmr/core";
import type { AppProcess } from "@llmr/testing";
import { findFreePort, redisFixture, startAppProcess, waitForOutput, waitUntilReady } from "@llmr/testing";
import { QueueKeys, Worker } from "bullmq";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import { afterEach, describe, expect, it } from "vitest";
import { loadManifestSet, objectsOfKind } from "./manifest-set.ts";
import { resolveRouterConfig, routerConfigText } from "./repo-facts.ts";
import { containerEnv, deploymentName, deploymentsRunning, mainContainer } from "./workload-helpers.ts";

/**
 * The manifests against the real thing: the apps started with exactly the env and config their
 * Deployments give them (Secrets filled with test values, Redis on a key prefix of this test),
 * and the Redis keys the ScaledObjects read, as the router's own queues fill them.
 */
const redis = redisFixture();
const set = loadManifestSet();
const productionConfig = resolveRouterConfig(routerConfigText(set));
const testConfigText = `${routerConfigText(set)}\nredis:\n  key_prefix: ${redis.prefix}\n`;
const testConfig = resolveRouterConfig(testConfigText);
const configPath = join(mkdtempSync(join(tmpdir(), "llmr-k8s-")), "router.yaml");
writeFileSync(configPath, testConfigText);

const secretValues: Record<string, string> = {
  REDIS_URL: redis.url,
  LLMR_API_KEYS: "k8s-test:llmr_test_0123456789abcdef0123456789abcdef",
  LLMR_OPERATOR_TOKEN: "k8s-test-operator-token",
  // Never used: no job reaches these workers' queues.
  OPENAI_API_KEY: "sk-test-not-a-key",
  ANTHROPIC_API_KEY: "sk-ant-test-not-a-key",
};

/** The env the Deployment gives its container, pointed at this test's Redis and config file. */
function podEnv(deployment: IDeployment): Record<string, string> {
  const env = containerEnv(mainContainer(deployment), (key) => secretValues[key] ?? "");
  return { ...env, ROUTER_CONFIG: configPath };
}

/** The production key of a trigger's list, moved to this test's prefix. */
const testKey = (listName: string) =>
  `${redis.prefix}:${listName.slice(productionConfig.redis.keyPrefix.length + 1)}`;

/** A start takes 2–8 s on a busy 2-core machine (module loading); the whole suite runs beside it. */
const START_TIMEOUT_MS = 45_000;

const started: AppProcess[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((app) => app.stop()));
});

/** SIGTERM, as the kubelet sends it; resolves with the exit code and how long the exit took. */
async function terminate(app: AppProcess): Promise<{ code: number | null; ms: number }> {
  const since = Date.now();
  app.child.kill("SIGTERM");
  const code = await app.exited;
  return { code, ms: Date.now() - since };
}

describe("the API pod", () => {
  const api = deploymentsRunning(set, "api")[0] as IDeployment;
  const container = mainContainer(api);

  it("answers every probe its Deployment declares, and exits 0 within its grace period on SIGTERM", async () => {
    const port = await findFreePort();
    // Only where it listens differs from the pod: a free loopback port instead of 0.0.0.0:8080.
    const app = startAppProcess("api", { ...podEnv(api), HOST: "127.0.0.1", PORT: String(port) });
    started.push(app);
    await waitForOutput(app, "API listening", START_TIMEOUT_MS);
    const probes = [container?.startupProbe, container?.livenessProbe, container?.readinessProbe];
    for (const probe of probes) {
      const response = await fetch(`http://127.0.0.1:${port}${probe?.httpGet?.path}`);
      expect(response.status, `${probe?.httpGet?.path}: ${await response.text()}`).toBe(200);
    }
    const { code, ms } = await terminate(app);
    expect(code).toBe(0);
    expect(ms).toBeLessThan((api.spec?.template.spec?.terminationGracePeriodSeconds ?? 30) * 1000);
  });
});

describe("the worker pods", () => {
  it.each(
    deploymentsRunning(set, "worker").map((deployment) => [deploymentName(deployment), deployment] as const),
  )(
    "%s runs exactly its tier's queue of its class, answers its probes and scrapes, and exits 0 on SIGTERM",
    async (_name, deployment) => {
      const container = mainContainer(deployment);
      const port = await findFreePort();
      // Only where its HTTP server listens differs from the pod: a free loopback port instead of 0.0.0.0:9464.
      const app = startAppProcess("worker", {
        ...podEnv(deployment),
        WORKER_METRICS_HOST: "127.0.0.1",
        WORKER_METRICS_PORT: String(port),
      });
      started.push(app);
      const url = (path: string | undefined) => `http://127.0.0.1:${port}${path}`;
      await waitUntilReady(app, url(container?.readinessProbe?.httpGet?.path), START_TIMEOUT_MS);
      const env = (name: string) => container?.env?.find((v) => v.name === name)?.value ?? "";
      const [tier, jobClass] = [env("WORKER_TIERS"), env("WORKER_CLASSES")];
      const line =
        app
          .output()
          .split("\n")
          .find((text) => text.includes("workers running")) ?? "";
      // One queue: the other class of the tier runs in its own Deployment, never in this process.
      expect(JOB_CLASSES).toContain(jobClass);
      expect(line.match(/\{[a-z]+-[a-z]+\}/g)).toEqual([tierQueueName(tier, jobClass as JobClass)]);

      for (const probe of [container?.startupProbe, container?.livenessProbe, container?.readinessProbe]) {
        const response = await fetch(url(probe?.httpGet?.path));
        expect(response.status, `${probe?.httpGet?.path}: ${await response.text()}`).toBe(200);
      }
      // Prometheus's scrape, with the Secret's operator token the Deployment passes on.
      const scrape = await fetch(url("/metrics"), {
        headers: { authorization: `Bearer ${secretValues.LLMR_OPERATOR_TOKEN}` },
      });
      expect(scrape.status).toBe(200);
      // Ready means the SIGTERM handler is in place: the drain (test/e2e/worker-crash) ends in time.
      const { code, ms } = await terminate(app);
      expect(code).toBe(0);
      expect(ms).toBeLessThan((deployment.spec?.template.spec?.terminationGracePeriodSeconds ?? 30) * 1000);
    },
  );
});

describe("the lists the ScaledObjects read", () => {
  it("hold the jobs the router queues, as lists: waiting ones in :wait, running ones in :active", async () => {
    const client = redis.connect();
    const queues = new TierQueues(client, testConfig);
    const triggers = objectsOfKind<IScaledObject>(set, "ScaledObject").flatMap(
      ({ doc }) => doc.spec.triggers,
    );
    for (const tier of testConfig.tiers) {
      for (const jobClass of JOB_CLASSES)
        await queues.add(tier.name, jobClass, { job_id: `job_${tier.name}_${jobClass}`, hop: 1 });
    }
    for (const trigger of triggers.filter((t) => t.metadata.listName?.endsWith(":wait"))) {
      const key = testKey(trigger.metadata.listName ?? "");
      expect(await client.type(key), key).toBe("list");
      expect(await client.llen(key), key).toBe(1);
    }
    const fastInteractive = tierQueueName("fast", "interactive");
    // BullMQ's sorted set of prioritized jobs, which a list scaler cannot read, stays empty.
    expect(await client.zcard(new QueueKeys(redis.prefix).toKey(fastInteractive, "prioritized"))).toBe(0);

    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const running = Promise.withResolvers<void>();
    const worker = new Worker(
      fastInteractive,
      async () => {
        running.resolve();
        await held;
      },
      { connection: redis.connect(), prefix: redis.prefix },
    );
    try {
      await running.promise;
      const lists = triggers
        .map((t) => t.metadata.listName ?? "")
        .filter((name) => name.includes(fastInteractive));
      const active = testKey(lists.find((name) => name.endsWith(":active")) ?? "");
      expect(await client.type(active)).toBe("list");
      expect(await client.llen(active)).toBe(1);
      expect(await client.llen(testKey(lists.find((name) => name.endsWith(":wait")) ?? ""))).toBe(0);
    } finally {
      release();
      await worker.close();
      await queues.close();
    }
  });
});
