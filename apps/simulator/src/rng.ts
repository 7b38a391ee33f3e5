/**
 * Seeded hashing and pseudo-random numbers. Everything the simulator "decides" (difficulty, wording,
 * jitter, probabilistic faults) is drawn from here, so the same seed and request always give the same
 * answer, on any machine and across runs.
 */

/** A small deterministic random source. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [min, max). */
  range(min: number, max: number): number;
  /** Integer uniform in [min, max] (both inclusive). */
  int(min: number, max: number): number;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
  /** True with probability `p`. */
  chance(p: number): boolean;
}

/**
 * 32-bit hash of a string (FNV-1a followed by the murmur3 finaliser, which spreads the low-entropy
 * FNV output across all bits so that nearby inputs give unrelated values).
 */
export function hashString(text: string, seed = 0): number {
  let hash = (0x811c9dc5 ^ seed) >>> 0;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** Hash of several parts; the separator keeps `("ab","c")` and `("a","bc")` apart. */
export function hashParts(...parts: ReadonlyArray<string | number>): number {
  return hashString(parts.map(String).join("\u0000"));
}

/** Hex form of {@link hashParts}, for ids and map keys. */
export function hashHex(...parts: ReadonlyArray<string | number>): string {
  return hashParts(...parts)
    .toString(16)
    .padStart(8, "0");
}

/** Uniform [0, 1) derived from the parts, without building a generator. */
export function unitFromParts(...parts: ReadonlyArray<string | number>): number {
  return hashParts(...parts) / 0x1_0000_0000;
}

/** A mulberry32 generator: tiny, fast and good enough for simulation (not for cryptography). */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  };
  return {
    next,
    range: (min, max) => min + (max - min) * next(),
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => {
      const item = items[Math.floor(next() * items.length)];
      if (item === undefined) throw new RangeError("pick() needs a non-empty list");
      return item;
    },
    chance: (p) => next() < p,
  };
}

/** A generator seeded from a hash of the parts. */
export function rngFromParts(...parts: ReadonlyArray<string | number>): Rng {
  return createRng(hashParts(...parts));
}
