export type { ConfigIssue } from "./config-error.ts";
export { ConfigError, formatPath } from "./config-error.ts";
export { describeConfig } from "./describe-config.ts";
export { configJsonSchema } from "./json-schema.ts";
export type { LoadConfigOptions } from "./load-config.ts";
export { DEFAULT_CONFIG_PATH, loadConfig, parseConfig, validateConfig } from "./load-config.ts";
export type {
  Credential,
  JobClass,
  ProviderKind,
  ResolvedDeployment,
  ResolvedModel,
  ResolvedProvider,
  ResolvedTask,
  ResolvedTier,
  RouterConfig,
  TimeLimits,
  WireProtocol,
} from "./router-config.ts";
export { JOB_CLASSES } from "./router-config.ts";
export type { RouterConfigDocument, RouterConfigInput } from "./schema.ts";
export { RouterConfigSchema } from "./schema.ts";
