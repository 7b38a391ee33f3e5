import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";

/** How a child ended. */
export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A process started by the stack, with its output prefixed and a bounded stop. */
export interface ManagedChild {
  readonly name: string;
  readonly pid: number;
  /** Settles when the process has exited, whatever the reason. */
  readonly exited: Promise<ChildExit>;
  /** SIGTERM to its process group, SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs: number): Promise<ChildExit>;
}

/** Options of {@link startManagedChild}. */
export interface ManagedChildOptions {
  name: string;
  command: string;
  args: readonly string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Receives each line the child writes to stdout or stderr. */
  onLine: (line: string) => void;
  /**
   * Give the child a pipe on fd 3 that closes when the stack dies (see exit-with-parent.ts,
   * which a Node child preloads to act on it).
   * @defaultValue false
   */
  parentPipe?: boolean;
}

/**
 * Starts a child in its own process group. A terminal's Ctrl-C goes to the foreground group
 * only, so the children don't all get SIGINT at once: the stack stops them in order (API and
 * worker before Redis, so their last writes land). The price is that they survive a SIGKILL of
 * the stack: the stack signals them from its `exit` handler, and against SIGKILL a Node child
 * can watch `parentPipe`.
 *
 * @example
 * ```ts
 * const api = startManagedChild({ name: "api", command: process.execPath, args: ["apps/api/src/main.ts"], env, cwd, onLine });
 * await api.stop(10_000);
 * ```
 */
export function startManagedChild(options: ManagedChildOptions): ManagedChild {
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env,
    stdio: options.parentPipe ? ["ignore", "pipe", "pipe", "pipe"] : ["ignore", "pipe", "pipe"],
    detached: true,
  });
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on("line", options.onLine);
  }
  const exited = new Promise<ChildExit>((resolve) => {
    child.once("error", (error) => {
      options.onLine(`could not start ${options.command}: ${error.message}`);
      resolve({ code: null, signal: null });
    });
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });
  const killOnExit = () => signalGroup(child, "SIGTERM");
  process.once("exit", killOnExit);
  void exited.then(() => process.off("exit", killOnExit));

  return {
    name: options.name,
    pid: child.pid ?? -1,
    exited,
    stop: async (graceMs) => {
      if (isRunning(child)) {
        signalGroup(child, "SIGTERM");
        const timer = setTimeout(() => signalGroup(child, "SIGKILL"), graceMs);
        const exit = await exited;
        clearTimeout(timer);
        return exit;
      }
      return exited;
    },
  };
}

function isRunning(child: ChildProcess): boolean {
  return child.pid !== undefined && child.exitCode === null && child.signalCode === null;
}

/** Signals the whole group, so whatever the child started goes too. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

/** `exited with code 1` / `killed by SIGKILL`, for messages. */
export function describeExit(exit: ChildExit): string {
  return exit.signal !== null ? `killed by ${exit.signal}` : `exited with code ${exit.code ?? "?"}`;
}
