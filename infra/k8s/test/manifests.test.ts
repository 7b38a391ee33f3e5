import { execFileSync } from "node:child_process";
import { DEFAULT_CONFIG_PATH, loadConfig } from "@llmr/config";
import { findExecutable } from "@llmr/testing";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { checkManifests } from "./check-manifests.ts";
import { scaler } from "./manifest-edits.ts";
import type { KubeObject } from "./manifest-set.ts";
import { K8S_DIR, loadManifestSet } from "./manifest-set.ts";
import { queueListKey } from "./scaler-checks.ts";
import { deploymentsRunning, mainContainer } from "./workload-helpers.ts";

const pristine = loadManifestSet();

describe("infra/k8s manifests", () => {
  it("pass the Kubernetes and KEDA schemas and every cross-file check", () => {
    expect(checkManifests(pristine)).toEqual([]);
  });

  it("give every tier of router.default.yaml a worker Deployment and a ScaledObject reading its real BullMQ lists", () => {
    const config = loadConfig(DEFAULT_CONFIG_PATH, { requireProviderKeys: false });
    // The key layout KEDA depends on, spelled out: <prefix>:{<tier>-<class>}:wait.
    expect(queueListKey(config, "fast", "interactive", "wait")).toBe("llmr:{fast-interactive}:wait");
    const workers = deploymentsRunning(pristine, "worker");
    for (const tier of config.tiers) {
      const worker = workers.find((candidate) =>
        mainContainer(candidate)?.env?.some((v) => v.name === "WORKER_TIERS" && v.value === tier.name),
      );
      expect(worker, `worker Deployment for ${tier.name}`).toBeDefined();
      const lists = scaler(pristine, worker?.metadata?.name ?? "").spec.triggers.map(
        (t) => t.metadata.listName,
      );
      expect(lists).toEqual(
        expect.arrayContaining([
          queueListKey(config, tier.name, "interactive", "wait"),
          queueListKey(config, tier.name, "batch", "wait"),
        ]),
      );
    }
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
