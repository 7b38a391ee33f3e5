import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadOrCreateDevCredentials } from "./dev-credentials.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function credentialsPath(): string {
  const dir = mkdtempSync(join(tmpdir(), "llmr-credentials-"));
  dirs.push(dir);
  return join(dir, ".data", "dev-credentials.json");
}

describe("loadOrCreateDevCredentials", () => {
  it("creates a dev key and operator token in a file only its owner can read", () => {
    const path = credentialsPath();

    const credentials = loadOrCreateDevCredentials(path);

    expect(credentials.created).toBe(true);
    expect(credentials.apiKeyName).toBe("dev");
    expect(credentials.apiKey).toMatch(/^llmr_dev_[0-9a-f]{32}$/);
    expect(credentials.operatorToken.length).toBeGreaterThanOrEqual(32);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it("returns the same credentials on the next start", () => {
    const path = credentialsPath();
    const first = loadOrCreateDevCredentials(path);

    const second = loadOrCreateDevCredentials(path);

    expect(second.created).toBe(false);
    expect(second.apiKey).toBe(first.apiKey);
    expect(second.operatorToken).toBe(first.operatorToken);
  });

  it("replaces a file it cannot use", () => {
    const path = credentialsPath();
    loadOrCreateDevCredentials(path);
    writeFileSync(path, '{"apiKey":"not-a-dev-key"}');

    const credentials = loadOrCreateDevCredentials(path);

    expect(credentials.created).toBe(true);
    expect(credentials.apiKey).toMatch(/^llmr_dev_/);
  });
});
