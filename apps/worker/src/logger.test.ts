import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { createLogger } from "./logger.ts";

describe("the worker's logger", () => {
  it("censors keys and auth headers at the top level of a logged object as well as nested", () => {
    const lines: string[] = [];
    const logger = createLogger("info", "test");
    // Its own destination, written to an array instead of stdout.
    (logger as unknown as Record<symbol, { write: (line: string) => void }>)[pino.symbols.streamSym] = {
      write: (line) => void lines.push(line),
    };
    logger.info(
      { apiKey: "sk-top", api_key: "sk-2", authorization: "Bearer t", call: { apiKey: "sk-n" } },
      "x",
    );
    expect(lines.join("")).not.toMatch(/sk-top|sk-2|sk-n|Bearer t/);
    expect(lines.join("")).toContain("[redacted]");
  });
});
