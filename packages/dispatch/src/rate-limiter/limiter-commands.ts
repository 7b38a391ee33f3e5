import type { Cluster, Redis, Result } from "ioredis";
import { loadLua } from "../load-lua.ts";

/** A Lua reply: integers come back as numbers, strings as strings. */
export type LuaReply = (string | number)[];

declare module "ioredis" {
  interface RedisCommander<Context> {
    llmrLimiterAcquire(
      state: string,
      log: string,
      permits: string,
      coolDown: string,
      ...argv: string[]
    ): Result<LuaReply, Context>;
    llmrLimiterSettle(
      state: string,
      permits: string,
      permitId: string,
      actualTokens: string,
    ): Result<number, Context>;
    llmrLimiterCoolDown(coolDown: string, ms: string): Result<number, Context>;
    llmrLimiterUsage(
      state: string,
      log: string,
      permits: string,
      coolDown: string,
      windowMs: string,
      interactiveIdleMs: string,
    ): Result<number[], Context>;
  }
}

const SCRIPTS = {
  llmrLimiterAcquire: { numberOfKeys: 4, lua: loadLua(new URL("./lua/acquire-4.lua", import.meta.url)) },
  llmrLimiterSettle: { numberOfKeys: 2, lua: loadLua(new URL("./lua/settle-2.lua", import.meta.url)) },
  llmrLimiterCoolDown: { numberOfKeys: 1, lua: loadLua(new URL("./lua/cool-down-1.lua", import.meta.url)) },
  llmrLimiterUsage: { numberOfKeys: 4, lua: loadLua(new URL("./lua/usage-4.lua", import.meta.url)) },
} as const;

/**
 * Registers the limiter's scripts on a client (EVALSHA, falling back to EVAL once per script).
 * Idempotent: several limiters may share one client.
 */
export function defineLimiterCommands(redis: Redis | Cluster): void {
  for (const [name, definition] of Object.entries(SCRIPTS)) redis.defineCommand(name, definition);
}
