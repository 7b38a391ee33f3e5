#!/usr/bin/env node
// From a fresh clone to `npm start` / `npm test` with nothing but Node >= 18 and npm: fetches the
// pinned Node and pnpm into .tools/, installs dependencies, makes sure a Redis can be had, then
// runs the command with .tools first on PATH. Plain JavaScript with no dependencies on purpose:
// it runs on whatever Node the machine has, before anything is installed. Every step is skipped
// when its result is already there, so a second run costs a fraction of a second.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { constants as osConstants } from "node:os";
import { delimiter, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const NODE_VERSION = "24.21.0";
const PNPM_VERSION = "12.21.0";
/** Running .ts files without flags (type stripping) needs at least this Node. */
const MIN_NODE = [22, 18, 0];
const TOOLS = join(ROOT, ".tools");
const NODE_BIN = join(TOOLS, "node/node_modules/node/bin/node");
const PNPM_ENTRY = join(TOOLS, "pnpm/node_modules/pnpm/bin/pnpm.mjs");
const DEPS_STAMP = join(ROOT, "node_modules/.llmr-bootstrap-stamp");
const TEST_RESULTS = join(ROOT, ".data/vitest-results.json");
const DOCKER_INFO_TIMEOUT_MS = 5000;

const log = (message) => process.stdout.write(`[bootstrap] ${message}\n`);
const fail = (message) => {
  process.stderr.write(`[bootstrap] error: ${message}\n`);
  process.exit(1);
};
const elapsed = (startedAt) => `${((performance.now() - startedAt) / 1000).toFixed(1)} s`;
const rel = (path) => relative(ROOT, path) || ".";

function findOnPath(name, pathVariable) {
  for (const directory of pathVariable.split(delimiter)) {
    if (directory === "") continue;
    try {
      accessSync(join(directory, name), constants.X_OK);
      return join(directory, name);
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** Runs a command to completion with the terminal attached; returns its exit status. */
function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: "inherit", cwd: ROOT, ...options });
  if (result.error) return { status: 1, error: result.error };
  return { status: result.status ?? 1 };
}

function versionOf(binary, args = ["--version"], env = process.env) {
  const result = spawnSync(binary, args, { encoding: "utf8", timeout: 30_000, env });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

function atLeast(version, minimum) {
  const parts = version.split(".").map(Number);
  for (let i = 0; i < minimum.length; i++) {
    if ((parts[i] ?? 0) !== minimum[i]) return (parts[i] ?? 0) > minimum[i];
  }
  return true;
}

/** `npm install` of one registry package into .tools/<name>, retried once with install scripts allowed. */
function npmInstallTool(prefix, spec, works) {
  const npm = process.env.npm_execpath?.endsWith(".js")
    ? [process.execPath, process.env.npm_execpath]
    : ["npm"];
  const base = [
    "install",
    "--no-save",
    "--no-audit",
    "--no-fund",
    "--loglevel=error",
    "--prefix",
    prefix,
    spec,
  ];
  // npm 11 runs unapproved install scripts with a warning; a stricter npm config may skip them,
  // and these packages fetch their platform binary from an install script.
  for (const extra of [[], ["--dangerously-allow-all-scripts"]]) {
    if (extra.length > 0) log(`${spec}: binary missing after install; retrying with ${extra.join(" ")}`);
    const { status } = run(npm[0], [...npm.slice(1), ...base, ...extra]);
    if (status === 0 && works()) return;
  }
  fail(`could not install ${spec} into ${rel(prefix)} with npm. Check registry access and try again.`);
}

function ensureNode() {
  const startedAt = performance.now();
  if (atLeast(process.versions.node, MIN_NODE)) {
    log(`node: using the running v${process.versions.node} (${elapsed(startedAt)})`);
    return process.execPath;
  }
  const works = () => versionOf(NODE_BIN) === `v${NODE_VERSION}`;
  if (works()) {
    log(`node: v${NODE_VERSION} from ${rel(NODE_BIN)} (${elapsed(startedAt)})`);
    return NODE_BIN;
  }
  log(
    `node: v${process.versions.node} is older than ${MIN_NODE.join(".")}; installing node@${NODE_VERSION} into .tools/node`,
  );
  npmInstallTool(join(TOOLS, "node"), `node@${NODE_VERSION}`, works);
  log(`node: v${NODE_VERSION} installed (${elapsed(startedAt)})`);
  return NODE_BIN;
}

/** pnpm goes through its Node entry point, never Corepack (whose signature check fails on this registry). */
function ensurePnpm(node, env) {
  const startedAt = performance.now();
  const works = () => versionOf(node, [PNPM_ENTRY, "--version"], env) === PNPM_VERSION;
  const installed = readJson(join(TOOLS, "pnpm/node_modules/pnpm/package.json"))?.version === PNPM_VERSION;
  if (!installed || !works()) {
    log(`pnpm: installing pnpm@${PNPM_VERSION} into .tools/pnpm`);
    npmInstallTool(join(TOOLS, "pnpm"), `pnpm@${PNPM_VERSION}`, works);
  }
  // A `pnpm` on PATH for turbo and package scripts, bound to this Node whatever PATH says later.
  const shim = join(TOOLS, "bin/pnpm");
  const script = `#!/bin/sh\nexec "${node}" "${PNPM_ENTRY}" "$@"\n`;
  if (readText(shim) !== script) {
    mkdirSync(dirname(shim), { recursive: true });
    writeFileSync(shim, script, { mode: 0o755 });
  }
  log(`pnpm: ${PNPM_VERSION} (${elapsed(startedAt)})`);
}

function readText(path) {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

function readJson(path) {
  const text = readText(path);
  try {
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** What node_modules was installed from: the lockfile, every manifest, and the tool versions. */
function dependencyFingerprint(node) {
  const hash = createHash("sha256").update(`${node}\n${PNPM_VERSION}\n`);
  const workspaces = ["apps", "packages"].flatMap((group) =>
    readdirSync(join(ROOT, group)).map((name) => join(group, name, "package.json")),
  );
  for (const file of [
    "pnpm-lock.yaml",
    "pnpm-workspace.yaml",
    "package.json",
    "test/package.json",
    ...workspaces,
  ]) {
    hash.update(`${file}\n${readText(join(ROOT, file)) ?? ""}\n`);
  }
  return hash.digest("hex");
}

function ensureDependencies(node, env) {
  const startedAt = performance.now();
  const fingerprint = dependencyFingerprint(node);
  if (readText(DEPS_STAMP) === fingerprint) {
    log(`dependencies: up to date (${elapsed(startedAt)})`);
    return;
  }
  log("dependencies: pnpm install --frozen-lockfile");
  // confirmModulesPurge=false: without a TTY pnpm would abort instead of asking to rebuild node_modules.
  const { status } = run("pnpm", ["install", "--frozen-lockfile", "--config.confirmModulesPurge=false"], {
    env,
  });
  if (status !== 0)
    fail("pnpm install failed (see above). Is pnpm-lock.yaml up to date with the package.json files?");
  writeFileSync(DEPS_STAMP, fingerprint);
  log(`dependencies: installed (${elapsed(startedAt)})`);
}

function dockerEngineAnswers(env) {
  if (findOnPath("docker", env.PATH) === undefined) return false;
  const result = spawnSync("docker", ["info", "--format", "{{.ServerVersion}}"], {
    env,
    stdio: "ignore",
    timeout: DOCKER_INFO_TIMEOUT_MS,
  });
  return result.status === 0;
}

/** Shell script run as root: installs redis-server without letting apt start a system service on 6379. */
const APT_INSTALL_REDIS = `
set -e
export PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH"
created_policy=0
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\\nexit 101\\n' > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d && created_policy=1
fi
trap '[ "$created_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d' EXIT
apt-get update -qq
DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -qq --no-install-recommends redis-server
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet redis-server 2>/dev/null; then
  systemctl stop redis-server && systemctl disable --quiet redis-server
fi
`;

/**
 * How to run a shell script as root for apt-get: directly when we are root, through `sudo -n`
 * when that needs no password, else undefined (we never prompt). `via` says which, for messages.
 */
function aptShell(env) {
  if (!findOnPath("apt-get", env.PATH)) return undefined;
  if (process.getuid?.() === 0) return { via: "", command: (script) => ["sh", ["-c", script]] };
  const canSudo =
    findOnPath("sudo", env.PATH) && spawnSync("sudo", ["-n", "true"], { stdio: "ignore" }).status === 0;
  return canSudo ? { via: " (sudo)", command: (script) => ["sudo", ["-n", "sh", "-c", script]] } : undefined;
}

function ensureRedis(env) {
  const startedAt = performance.now();
  if (env.REDIS_URL) return log(`redis: using REDIS_URL (${elapsed(startedAt)})`);
  const onPath = findOnPath("redis-server", env.PATH);
  if (onPath) return log(`redis: ${onPath} (${elapsed(startedAt)})`);
  if (dockerEngineAnswers(env))
    return log(`redis: a Docker engine answers; Redis will run in a container (${elapsed(startedAt)})`);

  const apt = aptShell(env);
  if (apt) {
    log(`redis: no REDIS_URL, redis-server or Docker engine; installing redis-server with apt-get${apt.via}`);
    const [command, args] = apt.command(APT_INSTALL_REDIS);
    const { status } = run(command, args, { env });
    const installed =
      findOnPath("redis-server", env.PATH) ?? findOnPath("redis-server", "/usr/bin:/usr/sbin");
    if (status === 0 && installed) {
      if (!findOnPath("redis-server", env.PATH)) env.PATH = `${dirname(installed)}${delimiter}${env.PATH}`;
      return log(`redis: installed ${installed} (${elapsed(startedAt)})`);
    }
    fail("apt-get could not install redis-server (see above).");
  }
  fail(
    "no Redis available. Provide one of:\n" +
      "  1. REDIS_URL=redis://host:port   (an existing Redis)\n" +
      "  2. a running Docker engine       (`docker info` must succeed)\n" +
      "  3. redis-server on PATH          (e.g. `sudo apt-get install redis-server`, `brew install redis`)",
  );
}

/** Where Debian and Ubuntu put Chromium; test/e2e/browser.ts looks in the same places. */
const CHROMIUM_PATHS = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

/** Shell script run as root: Debian packages a test needs (`packages`, space-separated). */
const aptInstallScript = (packages) => `
set -e
export PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${packages}
`;

function findChromium(env) {
  return (
    CHROMIUM_PATHS.find((path) => existsSync(path)) ??
    findOnPath("chromium", env.PATH) ??
    findOnPath("chromium-browser", env.PATH)
  );
}

/**
 * Programs some tests drive, found or installed with apt-get where allowed; otherwise said and
 * skipped: those tests then skip on a developer's machine and fail under CI with the same advice.
 * - chromium (and a font for its pages): the bull-board browser test (test/e2e/*browser*).
 * - tmux: the CLI's test of what a person sees in a terminal (apps/cli/test/*tmux*).
 */
const TEST_TOOLS = [
  {
    name: "chromium",
    packages: "chromium fonts-liberation",
    purpose: "the browser tests",
    override: "CHROMIUM_PATH",
    find: findChromium,
    advice: "Install Chromium (`sudo apt-get install chromium`) or set CHROMIUM_PATH.",
  },
  {
    name: "tmux",
    packages: "tmux",
    purpose: "the CLI's terminal test",
    find: (env) => findOnPath("tmux", env.PATH),
    advice: "Install tmux (`sudo apt-get install tmux`).",
  },
];

function ensureTestTool(env, tool) {
  const startedAt = performance.now();
  if (tool.override && env[tool.override])
    return log(`${tool.name}: using ${tool.override} (${elapsed(startedAt)})`);
  const found = tool.find(env);
  if (found) return log(`${tool.name}: ${found} (${elapsed(startedAt)})`);

  const apt = aptShell(env);
  if (apt) {
    log(
      `${tool.name}: not found; installing Debian's ${tool.name} with apt-get${apt.via} for ${tool.purpose}`,
    );
    const [command, args] = apt.command(aptInstallScript(tool.packages));
    const { status } = run(command, args, { env });
    const installed = tool.find(env);
    if (status === 0 && installed) return log(`${tool.name}: installed ${installed} (${elapsed(startedAt)})`);
    return log(`${tool.name}: apt-get could not install it (see above); ${tool.purpose} will fail under CI`);
  }
  log(
    `${tool.name}: not found, and apt-get cannot be run here; ${tool.purpose} will be skipped (and fail under CI). ${tool.advice}`,
  );
}

/** Set once a stop signal arrives, so `test` doesn't go on to the next step. */
let interrupted = false;

/** Runs the final command, forwarding stop signals, and resolves with an exit code. */
function runForwardingSignals(command, args, env) {
  return new Promise((resolvePromise) => {
    const child = spawn(command, args, { stdio: "inherit", cwd: ROOT, env });
    const lastForwardedAt = new Map();
    const forward = (signal) => {
      interrupted = true;
      // Ctrl-C reaches the child directly (same process group) and npm forwards it again:
      // pass a burst of the same signal on once, so the child sees one stop request.
      const now = Date.now();
      if (now - (lastForwardedAt.get(signal) ?? 0) < 500) return;
      lastForwardedAt.set(signal, now);
      child.kill(signal);
    };
    const signals = ["SIGINT", "SIGTERM", "SIGHUP"];
    for (const signal of signals) process.on(signal, forward);
    child.once("error", (error) => {
      process.stderr.write(`[bootstrap] error: could not run ${command}: ${error.message}\n`);
      resolvePromise(1);
    });
    child.once("exit", (code, signal) => {
      for (const name of signals) process.off(name, forward);
      resolvePromise(code ?? 128 + (osConstants.signals[signal] ?? 1));
    });
  });
}

/** `tests: 12 passed, 0 failed[, 3 skipped]` from vitest's JSON report; undefined if there is none. */
function summarizeTests() {
  const report = readJson(TEST_RESULTS);
  if (!report || !Array.isArray(report.testResults)) return undefined;
  // A file that failed outside any test (import error, failing afterAll) counts as one failure.
  const fileFailures = report.testResults.filter(
    (file) => file.status === "failed" && !file.assertionResults.some((test) => test.status === "failed"),
  ).length;
  const failed = report.numFailedTests + fileFailures;
  const skipped = report.numPendingTests + report.numTodoTests;
  return {
    failed,
    line: `tests: ${report.numPassedTests} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ""}`,
  };
}

async function test(args, env) {
  let startedAt = performance.now();
  log("checks: pnpm turbo run typecheck lint");
  const checks = await runForwardingSignals("pnpm", ["turbo", "run", "typecheck", "lint"], env);
  log(`checks: ${checks === 0 ? "passed" : `FAILED (exit ${checks})`} (${elapsed(startedAt)})`);
  if (interrupted) return checks || 130;

  startedAt = performance.now();
  rmSync(TEST_RESULTS, { force: true });
  const reporters = ["--reporter=default", "--reporter=json", `--outputFile.json=${TEST_RESULTS}`];
  log("tests: pnpm vitest run");
  const vitest = await runForwardingSignals("pnpm", ["vitest", "run", ...reporters, ...args], env);
  const summary = summarizeTests();
  log(`tests: vitest exited with ${vitest} (${elapsed(startedAt)})`);
  if (checks !== 0) log("typecheck/lint failed: see the turbo output above");
  if (!summary) log(`tests: vitest wrote no report to ${rel(TEST_RESULTS)}; it failed before running tests`);
  else if (vitest !== 0 && summary.failed === 0)
    log("tests: vitest reported errors outside the tests (see above)");
  if (summary) process.stdout.write(`${summary.line}\n`);
  return checks !== 0 || vitest !== 0 || !summary || summary.failed > 0 ? 1 : 0;
}

async function main() {
  const [command, ...args] = process.argv.slice(2);
  if (command !== "test" && command !== "start")
    fail("usage: node scripts/bootstrap.mjs <test|start> [args...]");
  const startedAt = performance.now();
  const node = ensureNode();
  const env = {
    ...process.env,
    PATH: [dirname(node), join(TOOLS, "bin"), join(ROOT, "node_modules/.bin"), process.env.PATH ?? ""].join(
      delimiter,
    ),
    TURBO_TELEMETRY_DISABLED: "1",
  };
  ensurePnpm(node, env);
  ensureDependencies(node, env);
  ensureRedis(env);
  if (command === "test") for (const tool of TEST_TOOLS) ensureTestTool(env, tool);
  log(`ready in ${elapsed(startedAt)}; running ${command}`);
  const code =
    command === "test"
      ? await test(args, env)
      : await runForwardingSignals(node, ["scripts/start-stack.ts", ...args], env);
  process.exit(code);
}

if (!existsSync(join(ROOT, "pnpm-lock.yaml")))
  fail(`${ROOT} does not look like the repository root (no pnpm-lock.yaml)`);
await main();
