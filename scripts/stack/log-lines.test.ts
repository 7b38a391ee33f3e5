import { describe, expect, it } from "vitest";
import { createLinePrinter, formatPinoLine } from "./log-lines.ts";

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");

describe("createLinePrinter", () => {
  it("prefixes each line with the process name, aligned, and leaves piped JSON untouched", () => {
    const written: string[] = [];
    const print = createLinePrinter({
      names: ["api", "simulator"],
      pretty: false,
      write: (t) => written.push(t),
    });

    print("api", '{"level":30,"msg":"up"}');
    print("simulator", "listening");

    expect(written).toEqual(['api       │ {"level":30,"msg":"up"}\n', "simulator │ listening\n"]);
  });
});

describe("formatPinoLine", () => {
  it("shows a pino line as time, level, message and the remaining fields", () => {
    const line = JSON.stringify({ level: 40, time: 0, pid: 1, hostname: "h", msg: "slow", job_id: "job_1" });

    const shown = formatPinoLine(line).replace(ANSI, "");

    expect(shown).toMatch(/^\d\d:\d\d:\d\d WARN {2}slow job_id=job_1$/);
  });

  it("leaves lines that are not pino JSON as they are", () => {
    expect(formatPinoLine("plain text")).toBe("plain text");
    expect(formatPinoLine("{not json")).toBe("{not json");
    expect(formatPinoLine('{"msg":"no level"}')).toBe('{"msg":"no level"}');
  });

  it("accepts level names as well as pino's numbers", () => {
    const shown = formatPinoLine('{"level":"info","msg":"listening","simulator":true}').replace(ANSI, "");

    expect(shown).toBe("INFO  listening simulator=true");
  });
});
