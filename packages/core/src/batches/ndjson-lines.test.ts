import { describe, expect, it } from "vitest";
import type { NdjsonLine } from "./ndjson-lines.ts";
import { ndjsonLines } from "./ndjson-lines.ts";

async function collect(chunks: Array<string | Uint8Array>, maxLineBytes = 1_000): Promise<NdjsonLine[]> {
  const lines: NdjsonLine[] = [];
  for await (const line of ndjsonLines(
    (async function* () {
      yield* chunks;
    })(),
    maxLineBytes,
  ))
    lines.push(line);
  return lines;
}

describe("ndjsonLines", () => {
  it("splits lines across chunk borders and numbers them as an editor does", async () => {
    expect(await collect(['{"a":', '1}\n{"b"', ":2}\n", '{"c":3}'])).toEqual([
      { line: 1, text: '{"a":1}' },
      { line: 2, text: '{"b":2}' },
      { line: 3, text: '{"c":3}' },
    ]);
  });

  it("accepts CRLF endings and skips blank lines without losing the count", async () => {
    expect(await collect(["one\r\n\r\n  \nfour\r\n"])).toEqual([
      { line: 1, text: "one" },
      { line: 4, text: "four" },
    ]);
  });

  it("reports a line over the limit and goes on with the next one", async () => {
    const long = "x".repeat(30);
    expect(await collect([`ok\n${long.slice(0, 12)}`, `${long.slice(12)}\nafter\n`], 20)).toEqual([
      { line: 1, text: "ok" },
      { line: 2, error: "longer than 20 bytes" },
      { line: 3, text: "after" },
    ]);
  });

  it("reports a line that is not UTF-8 instead of replacing its bytes", async () => {
    const bad = Uint8Array.from([0x7b, 0xff, 0x7d, 0x0a, 0x61, 0x0a]);
    expect(await collect([bad])).toEqual([
      { line: 1, error: "not valid UTF-8" },
      { line: 2, text: "a" },
    ]);
  });

  it("keeps a multi-byte character split between chunks intact", async () => {
    const bytes = Buffer.from('"naïve"\n', "utf8");
    expect(await collect([bytes.subarray(0, 4), bytes.subarray(4)])).toEqual([{ line: 1, text: '"naïve"' }]);
  });
});
