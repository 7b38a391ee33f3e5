import { mkdirSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { join } from "node:path";

/**
 * Profiles this process while `run` runs (the in-process scenarios) with the V8 profiler through
 * `node:inspector`, and writes `<name>-<timestamp>.cpuprofile` to `dir` (open it in Chrome
 * DevTools → Performance, or speedscope). Without `dir`, just runs `run`.
 */
export async function withCpuProfile<T>(
  dir: string | undefined,
  name: string,
  run: () => Promise<T>,
): Promise<T> {
  if (dir === undefined) return run();
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
  try {
    return await run();
  } finally {
    const { profile } = await session.post("Profiler.stop");
    session.disconnect();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${name}-${Date.now()}.cpuprofile`), JSON.stringify(profile));
  }
}
