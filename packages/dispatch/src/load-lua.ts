import { readFileSync } from "node:fs";

const INCLUDE_LINE = /^--- @include "([a-z0-9-]+)"$/gm;
const INCLUDES_DIR = new URL("./lua-includes/", import.meta.url);

/**
 * Reads a Lua script and pastes in the shared snippets it names with `--- @include "name"` (from
 * `src/lua-includes/name.lua`), as BullMQ does, so helpers such as the server clock are written once.
 * Read at start-up, once per script.
 *
 * @example
 * ```ts
 * const lua = loadLua(new URL("./lua/acquire-4.lua", import.meta.url));
 * ```
 */
export function loadLua(url: URL): string {
  return resolveIncludes(readFileSync(url, "utf8"), (name) =>
    readFileSync(new URL(`${name}.lua`, INCLUDES_DIR), "utf8"),
  );
}

/** The include expansion alone, without file I/O (unit-tested). Includes do not nest. */
export function resolveIncludes(source: string, readInclude: (name: string) => string): string {
  return source.replace(INCLUDE_LINE, (_line, name: string) => readInclude(name).trimEnd());
}
