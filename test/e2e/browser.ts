import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { findExecutable, REPO_ROOT } from "@llmr/testing";
import type { Browser, Page } from "playwright-core";
import { chromium } from "playwright-core";

/** Debian's Chromium (`apt-get install chromium`); `npm test` installs it where it may. */
const CHROMIUM_PATHS = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

/** Screenshots of the browser tests, kept for a person to look at (git-ignored). */
export const ARTIFACTS_DIR = join(REPO_ROOT, "test-artifacts");

/**
 * The Chromium the browser tests drive: `CHROMIUM_PATH`, else Debian's, else one on PATH.
 * Undefined when there is none; under CI that is a failure, not a skip (see {@link requireChromium}).
 */
export function findChromium(): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return fromEnv;
  return (
    CHROMIUM_PATHS.find((path) => existsSync(path)) ??
    findExecutable("chromium") ??
    findExecutable("chromium-browser")
  );
}

/**
 * Whether the browser tests can run here. Without Chromium they are skipped on a developer's
 * machine (saying why) but fail under CI, where `npm test` was supposed to install it.
 */
export function requireChromium(): string | undefined {
  const path = findChromium();
  if (path === undefined) {
    const message =
      "Chromium not found (looked at CHROMIUM_PATH, /usr/bin/chromium and PATH): install it with `apt-get install chromium`, or run `npm test`, which does that where apt-get is allowed";
    if (process.env.CI === "true") throw new Error(message);
    console.warn(`[browser tests skipped] ${message}`);
  }
  return path;
}

/** Headless Chromium, sandbox off (CI runs as root in a container-like sandbox already). */
export async function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, headless: true, args: ["--headless", "--no-sandbox"] });
}

/** Saves a full-page screenshot as `test-artifacts/<folder>/<name>.png`; returns its path. */
export async function screenshot(page: Page, folder: string, name: string): Promise<string> {
  const dir = join(ARTIFACTS_DIR, folder);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
