export type {
  BeforeCallResult,
  BreakerState,
  BreakerStateName,
  CircuitBreakerOptions,
  RecordResult,
} from "./circuit-breaker/breaker-options.ts";
export { CircuitBreaker } from "./circuit-breaker/circuit-breaker.ts";
export type { BreakerKeys, LimiterKeys } from "./dispatch-keys.ts";
export { DispatchKeys } from "./dispatch-keys.ts";
export { InvalidDispatchArgumentError } from "./errors/invalid-dispatch-argument-error.ts";
export type {
  AcquireRequest,
  AcquireResult,
  LimiterUsage,
  RateLimiterOptions,
  RefusalReason,
  SettleRequest,
  WorkClass,
} from "./rate-limiter/limiter-options.ts";
export { RateLimiter } from "./rate-limiter/rate-limiter.ts";
