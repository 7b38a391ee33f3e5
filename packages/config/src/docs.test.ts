import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { configReferenceMarkdown, README_PATH, renderReadme, SCHEMA_PATH, schemaFileText } from "./docs.ts";

describe("generated config docs", () => {
  it("config.schema.json is current (run `pnpm --filter @llmr/config gen` if not)", () => {
    expect(readFileSync(SCHEMA_PATH, "utf8")).toBe(schemaFileText());
  });

  it("the README's config reference is current and documents every field", () => {
    const readme = readFileSync(README_PATH, "utf8");
    expect(renderReadme(readme, configReferenceMarkdown())).toBe(readme);
    expect(readme).toContain("`tiers[].deployments[].model`");
    expect(readme).toContain("`providers.<name>.simulate_without_key`");
  });
});
