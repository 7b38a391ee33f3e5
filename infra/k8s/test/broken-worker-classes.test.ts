import { describe, expect, it } from "vitest";
import { checkManifests } from "./check-manifests.ts";
import { deployment, gateBatchScalers, scaler, setBatchWindow, setEnv } from "./manifest-edits.ts";
import type { ManifestSet } from "./manifest-set.ts";
import { loadManifestSet } from "./manifest-set.ts";
import { mainContainer } from "./workload-helpers.ts";

const pristine = loadManifestSet();
/** The shipped tiers' batch concurrency, which divides the README's gate formula per tier. */
const BATCH_CONCURRENCY = { fast: 4, standard: 2, capable: 1 };

/**
 * Mistakes in the class split (interactive and batch workers in Deployments of their own) and in
 * the batch scalers' window gate; each must be caught by the same checks as the rest.
 */
describe("the checks catch a broken class split or batch window gate", () => {
  const cases: [string, (set: ManifestSet) => void, RegExp][] = [
    [
      "a batch Deployment that also runs interactive",
      (set) => setEnv(set, "llmr-worker-fast-batch", "WORKER_CLASSES", "batch,interactive"),
      /tier fast \(interactive\): 2 worker Deployments run it[\s\S]*llmr-worker-fast-batch: runs batch and interactive in one process/,
    ],
    [
      "a class nobody runs",
      (set) => {
        set.objects = set.objects.filter(
          ({ doc }) => !(doc.kind === "Deployment" && doc.metadata.name === "llmr-worker-standard-batch"),
        );
      },
      /tier standard \(batch\): 0 worker Deployments run it/,
    ],
    [
      "the split undone: one Deployment for both classes of a tier",
      (set) => {
        set.objects = set.objects.filter(({ doc }) => doc.metadata.name !== "llmr-worker-capable-batch");
        setEnv(set, "llmr-worker-capable-interactive", "WORKER_CLASSES", "interactive,batch");
        scaler(set, "llmr-worker-capable-interactive").spec.triggers.push(
          ...["wait", "active"].map((list) => ({
            type: "redis",
            name: `batch_${list === "wait" ? "waiting" : list}`,
            metadata: { listName: `llmr:{capable-batch}:${list}`, listLength: "1" },
            authenticationRef: { name: "llmr-redis" },
          })),
        );
      },
      /llmr-worker-capable-interactive: runs interactive and batch in one process; set WORKER_CLASSES to one class/,
    ],
    [
      "pods labelled with a class their env does not run",
      (set) => {
        const labels = deployment(set, "llmr-worker-fast-interactive").spec?.template.metadata?.labels;
        if (labels) labels["llmr-class"] = "batch";
      },
      /llmr-worker-fast-interactive: pod label llmr-class is batch, but its env runs interactive/,
    ],
    [
      "interactive workers allowed to scale to zero",
      (set) => {
        scaler(set, "llmr-worker-standard-interactive").spec.minReplicaCount = 0;
      },
      /ScaledObject llmr-worker-standard-interactive: minReplicaCount 0; keep at least one interactive worker per tier/,
    ],
    [
      "a batch pod whose memory limit is under its V8 heap",
      (set) => {
        const resources = mainContainer(deployment(set, "llmr-worker-fast-batch"))?.resources;
        if (resources?.limits) resources.limits.memory = "512Mi";
      },
      /llmr-worker-fast-batch container worker: --max-old-space-size=768 leaves too little of the 512 MiB memory limit/,
    ],
    [
      "a batches.window in the config, batch pods still scaled on queue depth alone",
      (set) => setBatchWindow(set),
      /ScaledObject llmr-worker-fast-batch: config\/router\.yaml sets batches\.window 01:00-06:00 Europe\/Berlin, outside which batch workers take nothing; gate this scaler with exactly one cron trigger \(timezone Europe\/Berlin, start "0 1 \* \* \*", end "0 6 \* \* \*"/,
    ],
    [
      "a window gate an hour off the config's window",
      (set) => {
        setBatchWindow(set, '{ start: "02:00", end: "06:00", time_zone: Europe/Berlin }');
        gateBatchScalers(set, BATCH_CONCURRENCY);
      },
      /llmr-worker-standard-batch: cron trigger batch_window runs 0 1 \* \* \*–0 6 \* \* \* Europe\/Berlin, not config\/router\.yaml's batches\.window 02:00-06:00/,
    ],
    [
      "a window gate whose desiredReplicas the formula cannot tell from closed",
      (set) => {
        setBatchWindow(set);
        gateBatchScalers(set, BATCH_CONCURRENCY);
        const cron = scaler(set, "llmr-worker-capable-batch").spec.triggers.find((t) => t.type === "cron");
        if (cron) cron.metadata.desiredReplicas = "1";
      },
      /llmr-worker-capable-batch: cron trigger batch_window needs desiredReplicas of 2 or more/,
    ],
    [
      "a window gate whose formula still counts waiting jobs while the window is closed",
      (set) => {
        setBatchWindow(set);
        gateBatchScalers(set, BATCH_CONCURRENCY);
        const modifiers = scaler(set, "llmr-worker-fast-batch").spec.advanced?.scalingModifiers;
        if (modifiers) modifiers.formula = "batch_window > 0 ? (batch_waiting + batch_active) / 4 : 0";
      },
      /llmr-worker-fast-batch: with batch 0 running and 12 waiting \(4 per pod\) while batches\.window is closed \(batch_window = 1\) it asks for 3 pods, not 0/,
    ],
    [
      "a window gate without a window in the config (batch work held for nothing)",
      (set) => gateBatchScalers(set, BATCH_CONCURRENCY),
      /llmr-worker-fast-batch: cron trigger batch_window holds batch work on a schedule, but config\/router\.yaml has no batches\.window/,
    ],
  ];

  it.each(cases)("%s", (_name, breakIt, expected) => {
    const set = structuredClone(pristine);
    breakIt(set);
    expect(checkManifests(set).join("\n")).toMatch(expected);
  });
});
