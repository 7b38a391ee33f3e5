import { describe, expect, it } from "vitest";
import { resolveIncludes } from "./load-lua.ts";

describe("resolveIncludes", () => {
  it("pastes each named snippet in place of its include line", () => {
    const source = ['--- @include "now-ms"', "return nowMs()", '--- @include "other"'].join("\n");
    const snippets: Record<string, string> = { "now-ms": "local function nowMs() end\n", other: "-- other" };
    expect(resolveIncludes(source, (name) => snippets[name] ?? "")).toBe(
      ["local function nowMs() end", "return nowMs()", "-- other"].join("\n"),
    );
  });

  it("leaves lines that merely mention an include alone", () => {
    const source = '-- see --- @include "now-ms" below';
    expect(resolveIncludes(source, () => "SHOULD NOT APPEAR")).toBe(source);
  });
});
