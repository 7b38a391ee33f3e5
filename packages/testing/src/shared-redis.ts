import { type StartedRedis, startRedis } from "./start-redis.ts";

/** One Redis shared by every global setup that runs in this process, counted by its users. */
interface SharedRedisState {
  users: number;
  redis: Promise<StartedRedis>;
}

/**
 * The state lives on `globalThis` rather than in a module variable because vitest loads a global
 * setup file once per project (each project has its own module runner), and the root config
 * and each project that declares the file all run it: without sharing, one `vitest run` over
 * five Redis-using projects would start six servers.
 */
const STATE_KEY = "__llmrSharedRedis";
type WithState = typeof globalThis & { [STATE_KEY]?: SharedRedisState };

/**
 * Returns the process-wide Redis, starting it on first use, and a release function; the last
 * release stops it.
 *
 * @param start - how to start it; @defaultValue {@link startRedis}
 *
 * @example
 * ```ts
 * const { redis, release } = await acquireSharedRedis();
 * try { use(redis.url); } finally { await release(); }
 * ```
 */
export async function acquireSharedRedis(
  start: () => Promise<StartedRedis> = startRedis,
): Promise<{ redis: StartedRedis; release: () => Promise<void> }> {
  const holder = globalThis as WithState;
  const state = holder[STATE_KEY] ?? { users: 0, redis: start() };
  holder[STATE_KEY] = state;
  state.users += 1;
  let released = false;
  const release = async () => {
    if (released) return;
    released = true;
    state.users -= 1;
    if (state.users > 0) return;
    if (holder[STATE_KEY] === state) delete holder[STATE_KEY];
    const redis = await state.redis.catch(() => undefined);
    await redis?.stop();
  };
  try {
    return { redis: await state.redis, release };
  } catch (error) {
    await release();
    throw error;
  }
}
