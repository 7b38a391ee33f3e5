import type { CheckAnswer, CheckContext, CheckRegistry, CheckResult, CheckVerdict } from "./check-types.ts";

/**
 * Runs the named checks in order (one after the other, so a custom check sees a stable world) and
 * returns every verdict, passed or not: the attempt records them all.
 *
 * A check that throws, rejects, returns something other than `{ passed: boolean, reason: string }`,
 * or is not in the registry counts as failed (`check threw: …`). That is the safe side: an answer
 * no check could vouch for is not accepted silently; the job escalates (bounded by the task's
 * `max_escalations`) and the attempt shows the broken check, so the operator sees it at once,
 * rather than bad answers passing unnoticed for as long as the check stays broken.
 *
 * @example
 * const verdicts = await runChecks(["empty", "refusal"], answer, context, registry);
 * const failed = verdicts.filter((verdict) => !verdict.passed);
 */
export async function runChecks(
  names: readonly string[],
  answer: CheckAnswer,
  context: CheckContext,
  registry: CheckRegistry,
): Promise<CheckVerdict[]> {
  const verdicts: CheckVerdict[] = [];
  for (const name of names) {
    const check = registry.get(name);
    if (check === undefined) {
      verdicts.push({ name, passed: false, reason: `no check named "${name}" is registered` });
      continue;
    }
    let result: unknown;
    try {
      result = await check(answer, context);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      verdicts.push({ name, passed: false, reason: `check threw: ${message}` });
      continue;
    }
    verdicts.push(
      isCheckResult(result)
        ? { name, passed: result.passed, reason: result.reason || (result.passed ? "ok" : "failed") }
        : { name, passed: false, reason: "check returned no { passed, reason } result" },
    );
  }
  return verdicts;
}

function isCheckResult(value: unknown): value is CheckResult {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { passed?: unknown }).passed === "boolean" &&
    typeof (value as { reason?: unknown }).reason === "string"
  );
}
