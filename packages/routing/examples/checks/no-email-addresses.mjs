/**
 * An example custom quality check: fail an answer that contains an e-mail address the request did
 * not contain. Use it where answers must not leak or invent contact details (support replies,
 * summaries of customer tickets).
 *
 * A custom check is an ES module whose default export is the check function:
 *
 *   (answer, context) => { passed: boolean, reason: string } | Promise<{ passed, reason }>
 *
 * - `answer`: { text, finishReason, outputJson, usage: { inputTokens, outputTokens } }
 * - `context`: { task, messages: [{ role, content }], responseFormat, inputTokens }
 *
 * Always fill `reason` ("ok", or what failed, in words: it is shown in the job's attempts). A check
 * that throws counts as failed. Keep it fast and free of I/O: it runs on every answer of the task,
 * inside the worker, before the answer is accepted.
 *
 * Enable it for a task in the router config (the path is relative to the config file):
 *
 *   tasks:
 *     support:
 *       default_tier: fast
 *       checks: [empty, truncated, refusal, no-email-addresses]
 *       custom_checks:
 *         - name: no-email-addresses
 *           module: ./checks/no-email-addresses.mjs
 *
 * Plain JavaScript so that it loads in any Node; a `.ts` module works too on Node ≥ 22.18 (type
 * stripping), typed with `import type { Check } from "@llmr/routing"`.
 */

// Deliberately simple: local part, @, a dotted domain. Good enough to spot an address in prose.
const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;

/** @type {import("@llmr/routing").Check} */
export default function noEmailAddresses(answer, context) {
  const given = new Set();
  for (const message of context.messages) {
    for (const address of message.content.match(EMAIL) ?? []) given.add(address.toLowerCase());
  }
  const leaked = (answer.text.match(EMAIL) ?? []).filter((address) => !given.has(address.toLowerCase()));
  if (leaked.length === 0) return { passed: true, reason: "ok" };
  return {
    passed: false,
    reason: `the answer contains e-mail addresses the request did not: ${leaked.slice(0, 3).join(", ")}`,
  };
}
