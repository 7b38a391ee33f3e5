import type { Cluster, Redis, Result } from "ioredis";
import { loadLua } from "../load-lua.ts";

declare module "ioredis" {
  interface RedisCommander<Context> {
    llmrBreakerBeforeCall(
      state: string,
      probeLeaseMs: string,
      halfOpenRetryMs: string,
    ): Result<(string | number)[], Context>;
    llmrBreakerRecordFailure(
      state: string,
      failures: string,
      ...argv: string[]
    ): Result<[string, number], Context>;
    llmrBreakerRecordSuccess(state: string, failures: string): Result<string, Context>;
    llmrBreakerReleaseProbe(state: string): Result<number, Context>;
    llmrBreakerReadState(state: string, failures: string, windowMs: string): Result<string[], Context>;
  }
}

const SCRIPTS = {
  llmrBreakerBeforeCall: {
    numberOfKeys: 1,
    lua: loadLua(new URL("./lua/before-call-1.lua", import.meta.url)),
  },
  llmrBreakerRecordFailure: {
    numberOfKeys: 2,
    lua: loadLua(new URL("./lua/record-failure-2.lua", import.meta.url)),
  },
  llmrBreakerRecordSuccess: {
    numberOfKeys: 2,
    lua: loadLua(new URL("./lua/record-success-2.lua", import.meta.url)),
  },
  llmrBreakerReleaseProbe: {
    numberOfKeys: 1,
    lua: loadLua(new URL("./lua/release-probe-1.lua", import.meta.url)),
  },
  llmrBreakerReadState: {
    numberOfKeys: 2,
    lua: loadLua(new URL("./lua/read-state-2.lua", import.meta.url)),
  },
} as const;

/** Registers the breaker's scripts on a client. Idempotent: several breakers may share one client. */
export function defineBreakerCommands(redis: Redis | Cluster): void {
  for (const [name, definition] of Object.entries(SCRIPTS)) redis.defineCommand(name, definition);
}
