import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

/**
 * Looks `name` up on a PATH string, like `command -v` does.
 *
 * @param pathVariable - the PATH to search; @defaultValue `process.env.PATH`
 * @returns the absolute path of the first executable match, or `undefined`
 *
 * @example
 * ```ts
 * const redisServer = findExecutable("redis-server");
 * ```
 */
export function findExecutable(name: string, pathVariable = process.env.PATH ?? ""): string | undefined {
  for (const directory of pathVariable.split(delimiter)) {
    if (directory === "") continue;
    const candidate = join(directory, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here (or not executable): keep looking, as the shell would.
    }
  }
  return undefined;
}
