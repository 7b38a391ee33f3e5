import { isAbsolute } from "node:path";
import { pathToFileURL } from "node:url";
import type { CustomCheckRef } from "@llmr/config";
import { BUILT_IN_CHECKS } from "@llmr/config";
import { CheckLoadError } from "./check-load-error.ts";
import type { Check, CheckRegistry } from "./check-types.ts";
import { empty } from "./empty.ts";
import { jsonSchema } from "./json-schema.ts";
import { language } from "./language.ts";
import { refusal } from "./refusal.ts";
import { summaryLength } from "./summary-length.ts";
import { truncated } from "./truncated.ts";

/** The built-in checks, by the names the config uses (`BUILT_IN_CHECKS`). */
export const BUILT_IN_CHECK_FUNCTIONS: Readonly<Record<(typeof BUILT_IN_CHECKS)[number], Check>> = {
  empty,
  truncated,
  refusal,
  json_schema: jsonSchema,
  summary_length: summaryLength,
  language,
};

/**
 * The built-in checks plus the given custom checks, each loaded with a dynamic `import()` of its
 * module (an absolute path or a `file:` URL, as the config resolves them), whose default export
 * must be the check function. Throws `CheckLoadError` naming the check and the module when one
 * does not import or exports no function, or when it reuses a built-in's name.
 *
 * @example
 * const registry = await createCheckRegistry(task.customChecks);
 * const verdicts = await runChecks(task.checks, answer, context, registry);
 */
export async function createCheckRegistry(customChecks: readonly CustomCheckRef[]): Promise<CheckRegistry> {
  const registry = new Map<string, Check>(Object.entries(BUILT_IN_CHECK_FUNCTIONS));
  for (const ref of customChecks) {
    if ((BUILT_IN_CHECKS as readonly string[]).includes(ref.name)) {
      throw new CheckLoadError(ref.name, ref.module, "has the name of a built-in check; choose another name");
    }
    registry.set(ref.name, await loadCustomCheck(ref));
  }
  return registry;
}

async function loadCustomCheck(ref: CustomCheckRef): Promise<Check> {
  if (!ref.module.startsWith("file:") && !isAbsolute(ref.module)) {
    throw new CheckLoadError(ref.name, ref.module, "the module path must be absolute or a file: URL");
  }
  const url = ref.module.startsWith("file:") ? ref.module : pathToFileURL(ref.module).href;
  let loaded: { default?: unknown };
  try {
    loaded = (await import(url)) as { default?: unknown };
  } catch (error) {
    throw new CheckLoadError(ref.name, ref.module, `cannot be imported: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (typeof loaded.default !== "function") {
    const found =
      loaded.default === undefined
        ? "no default export"
        : `a default export of type ${typeof loaded.default}`;
    throw new CheckLoadError(
      ref.name,
      ref.module,
      `must have a default export that is the check function, found ${found}`,
    );
  }
  return loaded.default as Check;
}
