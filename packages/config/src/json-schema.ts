import { z } from "zod";
import { RouterConfigSchema } from "./schema.ts";

/** JSON Schema (draft 2020-12) of the config file, for editors and for the README reference. */
export function configJsonSchema(): Record<string, unknown> {
  // "input" describes what a user may write: fields with defaults are optional.
  return z.toJSONSchema(RouterConfigSchema, { io: "input", target: "draft-2020-12" }) as Record<
    string,
    unknown
  >;
}
