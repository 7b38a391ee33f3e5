/**
 * A counting-only byte-pair encoder over tiktoken rank files (the format `js-tiktoken/ranks/*`
 * ships). It gives the same counts as `Tiktoken#encode(text, [], []).length` (a test holds it to
 * that) but exists because that encoder is unsafe on the request path: its merge loop is quadratic
 * in the length of one regex piece (10,000 repeated letters took 11 s; a 1 MB body of them would
 * stall a process for hours) and it keys ranks by `bytes.join(",")`. Here ranks are keyed by the
 * piece's bytes as a latin1 string and merges use a heap, so a piece of n bytes costs O(n log n).
 */

/** The shape of `js-tiktoken/ranks/<name>`'s default export. */
export interface RankFile {
  pat_str: string;
  bpe_ranks: string;
}

export interface BpeTokenCounter {
  /** Number of tokens of `text`, with special-token strings counted as plain text. */
  count(text: string): number;
}

// Pair keys pack (rank, start) into one float64: rank < 2^21 and start < 2^31 keep it exact.
const startsPerRank = 2 ** 31;

/** Builds a counter from a rank file (parses ~200k ranks: tens of milliseconds, do it once). */
export function createBpeTokenCounter(ranks: RankFile): BpeTokenCounter {
  const rankOf = parseRanks(ranks.bpe_ranks);
  const splitter = new RegExp(ranks.pat_str, "gu");

  function countPiece(piece: string): number {
    const bytes = toByteString(piece);
    if (bytes.length <= 1 || rankOf.has(bytes)) return 1;
    return countMerged(bytes, rankOf);
  }

  return {
    count(text: string): number {
      let tokens = 0;
      splitter.lastIndex = 0;
      for (let match = splitter.exec(text); match !== null; match = splitter.exec(text)) {
        tokens += countPiece(match[0]);
      }
      return tokens;
    },
  };
}

/** `"! 0 <b64> <b64> …"` lines: each base64 token's rank is the line's offset plus its position. */
function parseRanks(bpeRanks: string): Map<string, number> {
  const rankOf = new Map<string, number>();
  for (const line of bpeRanks.split("\n")) {
    if (line.length === 0) continue;
    const fields = line.split(" ");
    const offset = Number.parseInt(fields[1] ?? "0", 10);
    for (let i = 2; i < fields.length; i++) {
      // atob yields exactly the byte string the map is keyed by (one char per byte), twice as fast as Buffer.
      rankOf.set(atob(fields[i] ?? ""), offset + i - 2);
    }
  }
  return rankOf;
}

// The UTF-8 bytes of a piece, one char per byte. Most pieces are ASCII: no allocation for them.
function toByteString(piece: string): string {
  for (let i = 0; i < piece.length; i++) {
    if (piece.charCodeAt(i) > 0x7f) return Buffer.from(piece, "utf8").toString("latin1");
  }
  return piece;
}

/**
 * Merges the lowest-ranked adjacent pair first (leftmost on ties), exactly like tiktoken, until no
 * pair is a token; returns how many parts are left. Parts form a linked list over byte offsets;
 * stale heap entries are skipped when popped.
 */
function countMerged(bytes: string, rankOf: ReadonlyMap<string, number>): number {
  const n = bytes.length;
  const next = new Int32Array(n + 1);
  const prev = new Int32Array(n + 1);
  const pairRank = new Int32Array(n).fill(-1);
  for (let i = 0; i <= n; i++) {
    next[i] = i + 1;
    prev[i] = i - 1;
  }
  const heap: number[] = [];
  const rankPairAt = (start: number): void => {
    const end = next[next[start] ?? n] ?? n;
    const rank = end <= n ? rankOf.get(bytes.slice(start, end)) : undefined;
    pairRank[start] = rank ?? -1;
    if (rank !== undefined) heapPush(heap, rank * startsPerRank + start);
  };
  for (let i = 0; i < n - 1; i++) rankPairAt(i);

  let parts = n;
  while (heap.length > 0) {
    const key = heapPop(heap);
    const start = key % startsPerRank;
    const rank = (key - start) / startsPerRank;
    if (pairRank[start] !== rank) continue; // merged away or re-ranked since it was pushed
    const removed = next[start] ?? n;
    const after = next[removed] ?? n;
    next[start] = after;
    prev[after] = start;
    parts--;
    rankPairAt(start);
    const before = prev[start] ?? -1;
    if (before >= 0) rankPairAt(before);
    pairRank[removed] = -1;
  }
  return parts;
}

function heapPush(heap: number[], value: number): void {
  let i = heap.length;
  heap.push(value);
  while (i > 0) {
    const parent = (i - 1) >> 1;
    const above = heap[parent] ?? 0;
    if (above <= value) break;
    heap[i] = above;
    i = parent;
  }
  heap[i] = value;
}

function heapPop(heap: number[]): number {
  const top = heap[0] ?? 0;
  const last = heap.pop() ?? 0;
  if (heap.length === 0) return top;
  let i = 0;
  for (;;) {
    const left = 2 * i + 1;
    if (left >= heap.length) break;
    const right = left + 1;
    const child = right < heap.length && (heap[right] ?? 0) < (heap[left] ?? 0) ? right : left;
    if ((heap[child] ?? 0) >= last) break;
    heap[i] = heap[child] ?? 0;
    i = child;
  }
  heap[i] = last;
  return top;
}
