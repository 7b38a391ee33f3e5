import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { answerOf, contextOf } from "../../test/check-fixtures.ts";
import { CheckLoadError } from "./check-load-error.ts";
import { createCheckRegistry } from "./check-registry.ts";
import type { Check } from "./check-types.ts";
import { runChecks } from "./run-checks.ts";

const example = fileURLToPath(new URL("../../examples/checks/no-email-addresses.mjs", import.meta.url));

describe("runChecks", () => {
  it("runs the named checks in order and returns every verdict", async () => {
    const registry = await createCheckRegistry([]);
    const verdicts = await runChecks(
      ["empty", "truncated", "refusal"],
      answerOf("I'm sorry, but I can't help with that.", { finishReason: "length" }),
      contextOf("Hi"),
      registry,
    );
    expect(verdicts.map((verdict) => [verdict.name, verdict.passed])).toEqual([
      ["empty", true],
      ["truncated", false],
      ["refusal", false],
    ]);
    expect(verdicts[0]?.reason).toBe("ok");
  });

  it("counts a check that throws, rejects, returns garbage or is unknown as failed", async () => {
    const throws: Check = () => {
      throw new Error("regex blew up");
    };
    const rejects: Check = async () => Promise.reject(new Error("timeout"));
    const garbage = (() => ({ ok: true })) as unknown as Check;
    const registry = new Map<string, Check>([
      ["throws", throws],
      ["rejects", rejects],
      ["garbage", garbage],
    ]);
    const verdicts = await runChecks(
      ["throws", "rejects", "garbage", "missing"],
      answerOf("x"),
      contextOf("x"),
      registry,
    );
    expect(verdicts).toEqual([
      { name: "throws", passed: false, reason: "check threw: regex blew up" },
      { name: "rejects", passed: false, reason: "check threw: timeout" },
      { name: "garbage", passed: false, reason: "check returned no { passed, reason } result" },
      { name: "missing", passed: false, reason: 'no check named "missing" is registered' },
    ]);
  });
});

describe("createCheckRegistry", () => {
  it("holds every built-in check", async () => {
    const registry = await createCheckRegistry([]);
    expect([...registry.keys()]).toEqual([
      "empty",
      "truncated",
      "refusal",
      "json_schema",
      "summary_length",
      "language",
    ]);
  });

  it("loads the example custom check from its module and runs it like a built-in", async () => {
    const registry = await createCheckRegistry([{ name: "no-email-addresses", module: example }]);
    const context = contextOf("Write to our support desk at help@example.com about the refund.");
    const leaked = await runChecks(
      ["empty", "no-email-addresses"],
      answerOf("Write to help@example.com or to jane.doe@corp.example.org."),
      context,
      registry,
    );
    expect(leaked[1]).toEqual({
      name: "no-email-addresses",
      passed: false,
      reason: "the answer contains e-mail addresses the request did not: jane.doe@corp.example.org",
    });
    const fine = await runChecks(
      ["no-email-addresses"],
      answerOf("Write to help@example.com."),
      context,
      registry,
    );
    expect(fine[0]?.passed).toBe(true);
  });

  it("refuses a module that does not import or exports no function, naming the check and the module", async () => {
    const missing = "/nonexistent/check.mjs";
    await expect(createCheckRegistry([{ name: "ghost", module: missing }])).rejects.toThrow(
      /^custom check "ghost" \(\/nonexistent\/check\.mjs\): cannot be imported: /,
    );
    const noFunction = fileURLToPath(new URL("./check-types.ts", import.meta.url));
    const error = await createCheckRegistry([{ name: "types", module: noFunction }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckLoadError);
    expect((error as CheckLoadError).message).toContain(
      "must have a default export that is the check function",
    );
  });

  it("refuses a custom check named like a built-in", async () => {
    await expect(createCheckRegistry([{ name: "empty", module: example }])).rejects.toThrow(
      "has the name of a built-in check",
    );
  });
});
