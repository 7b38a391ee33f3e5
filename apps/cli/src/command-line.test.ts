import { describe, expect, it } from "vitest";
import { apiTarget, instantFlag, parseCommandLine } from "./command-line.ts";
import { UsageError } from "./exit-codes.ts";

describe("parseCommandLine", () => {
  it("finds the command, its argument and its flags, with global flags anywhere", () => {
    expect(
      parseCommandLine([
        "--api-url",
        "http://h:1",
        "batch",
        "submit",
        "docs",
        "--task",
        "summarize",
        "--wait",
      ]),
    ).toEqual({
      kind: "command",
      command: "batch submit",
      args: ["docs"],
      flags: { "api-url": "http://h:1", task: "summarize", wait: true },
    });
    expect(parseCommandLine(["jobs", "submit", "--input", "hi", "--class", "batch"])).toMatchObject({
      command: "jobs submit",
      args: [],
      flags: { input: "hi", class: "batch" },
    });
  });

  it("help: no arguments, --help, help, or a command's --help", () => {
    expect(parseCommandLine([])).toEqual({ kind: "help" });
    expect(parseCommandLine(["--help"])).toEqual({ kind: "help" });
    expect(parseCommandLine(["help"])).toEqual({ kind: "help" });
    expect(parseCommandLine(["batch", "submit", "-h"])).toEqual({ kind: "help", command: "batch submit" });
  });

  it("usage errors name what is wrong: unknown command, unknown flag, missing or extra argument, missing value", () => {
    const error = (argv: string[]) => {
      try {
        parseCommandLine(argv);
      } catch (caught) {
        expect(caught).toBeInstanceOf(UsageError);
        return (caught as Error).message;
      }
      throw new Error(`no error for ${argv.join(" ")}`);
    };
    expect(error(["batch", "explode", "x"])).toMatch(
      /unknown command "batch explode"; try: llmr batch submit/,
    );
    expect(error(["deploy"])).toMatch(/unknown command "deploy"/);
    expect(error(["batch", "status", "batch_1", "--follow"])).toMatch(/batch status: .*--follow/);
    expect(error(["batch", "status"])).toMatch(/batch status takes 1 argument \(got 0\)/);
    expect(error(["jobs", "get", "a", "b"])).toMatch(/got 2/);
    expect(error(["jobs", "submit", "--input"])).toMatch(/--input/);
    // A flag of another command is unknown here.
    expect(error(["jobs", "get", "job_1", "--window", "01:00-02:00"])).toMatch(/--window/);
  });
});

describe("apiTarget", () => {
  it("flags win over the environment, which wins over the default port 8080", () => {
    const env = { LLMR_API_URL: "http://env:1", LLMR_API_KEY: "env-key" };
    expect(apiTarget({ "api-url": "http://flag:2", "api-key": "flag-key" }, env)).toEqual({
      url: "http://flag:2",
      key: "flag-key",
    });
    expect(apiTarget({}, env)).toEqual({ url: "http://env:1", key: "env-key" });
    expect(apiTarget({}, {})).toEqual({ url: "http://127.0.0.1:8080", key: undefined });
  });

  it("refuses a URL that is not http(s), without echoing any key", () => {
    expect(() => apiTarget({ "api-url": "localhost:8080", "api-key": "sk-secret" }, {})).toThrow(
      /must be an http\(s\) URL \(got "localhost:8080"\)/,
    );
  });
});

describe("instantFlag", () => {
  it("normalizes to UTC ISO and refuses what is not a date-time", () => {
    expect(instantFlag({ "not-before": "2030-01-01T01:00:00+02:00" }, "not-before")).toBe(
      "2029-12-31T23:00:00.000Z",
    );
    expect(() => instantFlag({ "not-before": "tomorrow" }, "not-before")).toThrow(UsageError);
    expect(() => instantFlag({ "not-before": "2030-13-45T99:00" }, "not-before")).toThrow(UsageError);
    expect(instantFlag({}, "not-before")).toBeUndefined();
  });
});
