import type { AppProcess } from "@llmr/testing";
import { startAppProcess } from "@llmr/testing";

/** How to start a process under measurement. */
export interface ChildAppOptions {
  name: string;
  /** The script, relative to the repository root. */
  script: string;
  env: Record<string, string>;
  /** When set, the child writes a V8 CPU profile here on exit (`--cpu-prof`). */
  cpuProfDir?: string;
}

/** `node <script>` as a child process, profiled when `cpuProfDir` is given. */
export function startChildApp(options: ChildAppOptions): AppProcess {
  const nodeArgs =
    options.cpuProfDir === undefined ? [] : ["--cpu-prof", `--cpu-prof-dir=${options.cpuProfDir}`];
  return startAppProcess(options.name, options.env, { script: options.script, nodeArgs });
}
