/**
 * Writes `config.schema.json` and the config reference section of the root README from the zod
 * schema, so the docs cannot drift from the code. `pnpm --filter @llmr/config gen` runs it; a unit
 * test fails when the committed files are stale.
 */
import { readFileSync, writeFileSync } from "node:fs";
import {
  configReferenceMarkdown,
  README_PATH,
  renderReadme,
  SCHEMA_PATH,
  schemaFileText,
} from "../src/docs.ts";

writeFileSync(SCHEMA_PATH, schemaFileText());
writeFileSync(README_PATH, renderReadme(readFileSync(README_PATH, "utf8"), configReferenceMarkdown()));
console.log(`wrote ${SCHEMA_PATH} and the config reference in ${README_PATH}`);
