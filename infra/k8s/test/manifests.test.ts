import { execFileSync } from "node:child_process";
import { DEFAULT_CONFIG_PATH, JOB_CLASSES, loadConfig } from "@llmr/config";
import { findExecutable } from "@llmr/testing";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { checkManifests } from "./check-manifests.ts";
import { gateBatchScalers, scaler, setBatchWindow } from "./manifest-edits.ts";
import type { KubeObject } from "./manifest-set.ts";
import { K8S_DIR, loadManifestSet } from "./manifest-set.ts";
import { resolveRouterConfig, routerConfigText } from "./repo-facts.ts";
import { queueListKey } from "./scaler-checks.ts";
import { deploymentsRunning, mainContainer } from "./workload-helpers.ts";

const pristine = loadManifestSet();

describe("infra/k8s manifests", () => {
  it("pass the Kubernetes and KEDA schemas and every cross-file check", () => {
    expect(checkManifests(pristine)).toEqual([]);
  });

  it("give every tier × class of router.default.yaml its own worker Deployment and a ScaledObject reading its real BullMQ lists", () => {
    const config = loadConfig(DEFAULT_CONFIG_PATH, { requireProviderKeys: false });
    // The key layout KEDA depends on, spelled out: <prefix>:{<tier>-<class>}:wait.
    expect(queueListKey(config, "fast", "interactive", "wait")).toBe("llmr:{fast-interactive}:wait");
    const workers = deploymentsRunning(pristine, "worker");
    const envOf = (worker: (typeof workers)[number], name: string) =>
      mainContainer(worker)?.env?.find((v) => v.name === name)?.value;
    for (const tier of config.tiers) {
      for (const jobClass of JOB_CLASSES) {
        const running = workers.filter(
          (worker) =>
            envOf(worker, "WORKER_TIERS") === tier.name && envOf(worker, "WORKER_CLASSES") === jobClass,
        );
        expect(running, `worker Deployments for ${tier.name} ${jobClass}`).toHaveLength(1);
        const triggers = scaler(pristine, running[0]?.metadata?.name ?? "").spec.triggers;
        expect(triggers.map((t) => t.metadata.listName).sort()).toEqual(
          [
            queueListKey(config, tier.name, jobClass, "active"),
            queueListKey(config, tier.name, jobClass, "wait"),
          ].sort(),
        );
      }
    }
    expect(workers).toHaveLength(config.tiers.length * JOB_CLASSES.length);
  });

  it("with a batches.window, pass every check once the batch ScaledObjects carry infra/k8s/README.md's cron gate", () => {
    const set = structuredClone(pristine);
    setBatchWindow(set);
    const config = resolveRouterConfig(routerConfigText(set));
    expect(config.batches.window).toMatchObject({
      startMinutes: 60,
      endMinutes: 360,
      timeZone: "Europe/Berlin",
    });
    gateBatchScalers(
      set,
      Object.fromEntries(config.tiers.map((tier) => [tier.name, tier.concurrency.batch])),
    );
    // Only the reminder that the production config now differs from the shipped default is left.
    expect(checkManifests(set)).toEqual([
      "config/router.yaml: differs from packages/config/router.default.yaml beyond simulate_without_key (copy the change over)",
    ]);
  });

  // kubectl is not on a fresh CI machine; where it is, kustomize itself confirms what these checks read.
  const kubectl = findExecutable("kubectl");
  it.skipIf(!kubectl)("are what `kubectl kustomize` builds: the same objects, all in namespace llmr", () => {
    const built = parseAllDocuments(
      execFileSync(kubectl ?? "kubectl", ["kustomize", K8S_DIR], { encoding: "utf8" }),
    ).map((document) => document.toJS() as KubeObject);
    // A generated ConfigMap's name gets a hash of its content: compare without it.
    const name = (doc: KubeObject) => `${doc.kind}/${doc.metadata.name.replace(/-[a-z0-9]{10}$/, "")}`;
    expect(built.map(name).sort()).toEqual(pristine.objects.map(({ doc }) => name(doc)).sort());
    for (const doc of built.filter((candidate) => candidate.kind !== "Namespace"))
      expect((doc.metadata as { namespace?: string }).namespace, name(doc)).toBe("llmr");
  });
});
