export { CheckLoadError } from "./check-load-error.ts";
export { BUILT_IN_CHECK_FUNCTIONS, createCheckRegistry } from "./check-registry.ts";
export type {
  Check,
  CheckAnswer,
  CheckContext,
  CheckRegistry,
  CheckResult,
  CheckVerdict,
} from "./check-types.ts";
export { empty } from "./empty.ts";
export { jsonSchema } from "./json-schema.ts";
export { detectLanguage } from "./language/detect-language.ts";
export type { LanguageId } from "./language/language-ids.ts";
export { language } from "./language.ts";
export { refusal } from "./refusal.ts";
export { runChecks } from "./run-checks.ts";
export { summaryLength } from "./summary-length.ts";
export { truncated } from "./truncated.ts";
