import { readFileSync } from "node:fs";
import { countTokens } from "@llmr/routing";
import { describe, expect, it } from "vitest";
import { splitText } from "./split-text.ts";

const meetings = new URL("../../../../../shared/data/documents/qmsum-meetings.jsonl", import.meta.url);
const transcript = (JSON.parse(readFileSync(meetings, "utf8").split("\n")[0] ?? "{}") as { text: string })
  .text;

function paragraphs(count: number): string {
  return Array.from(
    { length: count },
    (_, p) =>
      `Paragraph ${p} opens here. ${Array.from({ length: 6 }, (_, s) => `Sentence ${s} of paragraph ${p} says something plain about item ${p * 10 + s}.`).join(" ")}`,
  ).join("\n\n");
}

describe("splitText", () => {
  it("returns a text that fits as one part, whole", () => {
    const parts = splitText("A short note. Nothing to split.", { maxTokens: 100, overlapTokens: 10 });
    expect(parts).toEqual([{ text: "A short note. Nothing to split.", tokens: 8, start: 0, end: 31 }]);
  });

  it("cuts a real meeting transcript at turns, every part within the limit, covering the whole text in order", () => {
    const parts = splitText(transcript, { maxTokens: 2_000, overlapTokens: 150 });
    expect(parts.length).toBeGreaterThanOrEqual(Math.ceil(countTokens(transcript) / 2_000));
    for (const part of parts) {
      expect(part.tokens).toBeLessThanOrEqual(2_000);
      expect(part.tokens).toBe(countTokens(part.text));
      expect(transcript.slice(part.start, part.end)).toBe(part.text);
      // A turn ("Grad B: …") is never cut in the middle: each part ends at a line's end.
      expect(["\n", undefined]).toContain(transcript[part.end]);
    }
    expect(parts[0]?.start).toBe(0);
    expect(parts.at(-1)?.end).toBe(transcript.trimEnd().length);
    for (let i = 1; i < parts.length; i++) {
      const [before, after] = [parts[i - 1], parts[i]];
      if (!before || !after) throw new Error("missing part");
      // Overlap: the next part starts inside the previous one, by at most the overlap's tokens.
      expect(after.start).toBeLessThan(before.end);
      expect(after.start).toBeGreaterThan(before.start);
      expect(countTokens(transcript.slice(after.start, before.end))).toBeLessThanOrEqual(150 + 5);
    }
  });

  it("prefers paragraph breaks to sentence breaks", () => {
    const text = paragraphs(40);
    const parts = splitText(text, { maxTokens: 600, overlapTokens: 0 });
    expect(parts.length).toBeGreaterThan(3);
    for (const part of parts.slice(0, -1)) expect(text.slice(part.end, part.end + 2)).toBe("\n\n");
    // No overlap asked: the parts tile the text.
    expect(parts.map((part) => part.text).join("\n\n")).toBe(text);
  });

  it("repeats whole sentences as the overlap", () => {
    const text = paragraphs(40);
    const parts = splitText(text, { maxTokens: 600, overlapTokens: 60 });
    for (const part of parts.slice(1))
      expect(part.text).toMatch(/^(Sentence \d+ of paragraph|Paragraph) \d+/);
  });

  it("splits text without sentence or line breaks by words, and one enormous word by characters", () => {
    const words = Array.from({ length: 3_000 }, (_, i) => `word${i}`).join(" ");
    const byWords = splitText(words, { maxTokens: 500, overlapTokens: 50 });
    for (const part of byWords) {
      expect(part.tokens).toBeLessThanOrEqual(500);
      expect(part.text).toMatch(/^word\d+/);
    }
    const blob = "x9Qz".repeat(5_000);
    const byChars = splitText(blob, { maxTokens: 500, overlapTokens: 0 });
    expect(byChars.length).toBeGreaterThan(2);
    expect(byChars.map((part) => part.text).join("")).toBe(blob);
    for (const part of byChars) expect(part.tokens).toBeLessThanOrEqual(500);
  });
});
