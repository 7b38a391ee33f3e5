export type { ConfigIssue } from "./config-error.ts";
export { ConfigError, formatPath } from "./config-error.ts";
export { describeConfig } from "./describe-config.ts";
export { configJsonSchema } from "./json-schema.ts";
export type { LoadConfigOptions } from "./load-config.ts";
export { DEFAULT_CONFIG_PATH, loadConfig, parseConfig, validateConfig } from "./load-config.ts";
export type {
  Credential,
  CustomCheckRef,
  JobClass,
  MapReduceSettings,
  ProviderKind,
  ResolvedDeployment,
  ResolvedModel,
  ResolvedProvider,
  ResolvedRule,
  ResolvedTask,
  ResolvedTier,
  RouterConfig,
  RuleCondition,
  TimeLimits,
  WireProtocol,
} from "./router-config.ts";
export { JOB_CLASSES } from "./router-config.ts";
export type { RouterConfigDocument, RouterConfigInput } from "./schema.ts";
export { BUILT_IN_CHECKS, RouterConfigSchema } from "./schema.ts";
