import { Tiktoken } from "js-tiktoken/lite";
import o200kBase from "js-tiktoken/ranks/o200k_base";
import { describe, expect, it } from "vitest";
import {
  countMessageTokens,
  countTokens,
  TOKENS_PER_MESSAGE,
  TOKENS_PER_REPLY_PRIMING,
} from "./count-tokens.ts";

describe("countTokens", () => {
  it("counts o200k tokens of ordinary text", () => {
    expect(countTokens("")).toBe(0);
    expect(countTokens("hello world")).toBe(2);
    expect(countTokens("The quick brown fox jumps over the lazy dog.")).toBe(10);
  });

  it("counts special-token strings in user text as plain text instead of refusing them", () => {
    expect(countTokens("<|endoftext|>")).toBeGreaterThan(1);
  });

  it("gives the same counts as js-tiktoken's own encoder on every kind of text", () => {
    const reference = new Tiktoken(o200kBase);
    const samples = [
      "Explain what a dead-letter queue is in two sentences.",
      "```ts\nexport function add(a: number, b: number): number {\n  return a + b;\n}\n```",
      "Le chat est sur la table. Der Hund schläft. ¿Dónde está la biblioteca?",
      "日本語のテキストです。中文文本。한국어 텍스트. Ελληνικά. Русский текст. العربية",
      "emoji 🎉🚀👩‍👩‍👧 and   irregular\t\twhitespace\n\n\n  ",
      "a".repeat(500),
      "SGVsbG8gd29ybGQhIFRoaXMgaXMgYmFzZTY0IGVuY29kZWQgdGV4dC4=".repeat(20),
      "1234567890 3.14159 1,000,000 0x1F",
      "I'm here, you're there, they'd've done it. DON'T SHOUT.",
      "<|endoftext|> and <|endofprompt|> inline",
    ];
    for (const text of samples) {
      expect(countTokens(text), text.slice(0, 30)).toBe(reference.encode(text, [], []).length);
    }
    // Random strings over a mixed alphabet reach merge orders no hand-written sample does.
    const alphabet = Array.from("aaeeiioouu bcdfgklmnprstz  ,.'\n\tÄéßñ日本한😀0123456789-_");
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < 300; i++) {
      const length = 1 + Math.floor(random() * 60);
      const text = Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join("");
      expect(countTokens(text), JSON.stringify(text)).toBe(reference.encode(text, [], []).length);
    }
  });

  it("stays linear on one long unbroken run of letters (js-tiktoken's merge loop is quadratic)", () => {
    const started = performance.now();
    expect(countTokens("a".repeat(200_000))).toBe(25_000);
    // Quadratic merging would take minutes; a generous bound keeps the test stable on slow CI.
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe("countMessageTokens", () => {
  it("adds the chat framing per message and the reply priming once", () => {
    const messages = [
      { role: "system" as const, content: "hello world" },
      { role: "user" as const, content: "hello world" },
    ];
    expect(countMessageTokens(messages)).toBe(2 * (2 + TOKENS_PER_MESSAGE) + TOKENS_PER_REPLY_PRIMING);
    expect(countMessageTokens([])).toBe(0);
  });
});
