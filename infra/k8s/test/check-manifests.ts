import { apiProblems } from "./api-checks.ts";
import type { ManifestSet } from "./manifest-set.ts";
import { prometheusProblems } from "./prometheus-checks.ts";
import { scalerProblems } from "./scaler-checks.ts";
import { schemaProblems } from "./schema-problems.ts";
import { configProblems, workerProblems } from "./worker-checks.ts";
import { workerClassProblems } from "./worker-class-checks.ts";
import { workerProbeProblems } from "./worker-probe-checks.ts";
import {
  deploymentProblems,
  referenceProblems,
  secretProblems,
  serviceProblems,
  unlistedFileProblems,
} from "./workload-checks.ts";

/**
 * Everything wrong with a set of manifests, as sentences naming the object: first what the
 * published schemas reject, then what they cannot see (cross-file invariants against the code).
 * Invariants run only on a schema-valid set, since they read fields the schemas guarantee.
 */
export function checkManifests(set: ManifestSet): string[] {
  const schema = [...set.objects, set.secretTemplate].flatMap(schemaProblems);
  if (schema.length > 0) return schema;
  return [
    ...unlistedFileProblems(set),
    ...secretProblems(set),
    ...referenceProblems(set),
    ...deploymentProblems(set),
    ...serviceProblems(set),
    ...apiProblems(set),
    ...configProblems(set),
    ...workerProblems(set),
    ...workerClassProblems(set),
    ...workerProbeProblems(set),
    ...prometheusProblems(set),
    ...scalerProblems(set),
  ];
}
