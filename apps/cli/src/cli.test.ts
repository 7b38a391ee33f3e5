import { describe, expect, it } from "vitest";
import type { CliEnvironment } from "./cli.ts";
import { runCli } from "./cli.ts";
import { ExitCode } from "./exit-codes.ts";

function environment(env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const edges: CliEnvironment = {
    stdout: { write: (text: string) => out.push(text) } as unknown as NodeJS.WritableStream,
    stderr: { write: (text: string) => err.push(text) },
    env,
    cwd: "/",
    timeZone: "UTC",
    signal: new AbortController().signal,
    pollIntervalMs: 10,
    now: () => new Date("2030-01-01T00:00:00Z"),
  };
  return { edges, out: () => out.join(""), err: () => err.join("") };
}

describe("runCli", () => {
  it("--help prints the commands and the exit codes on stdout, exit 0", async () => {
    const io = environment();
    expect(await runCli(["--help"], io.edges)).toBe(ExitCode.ok);
    expect(io.out()).toContain("llmr batch submit <folder | items.jsonl>");
    expect(io.out()).toContain("130 Ctrl-C while waiting");
  });

  it("a usage error is one line on stderr and exit 2, before any request", async () => {
    const io = environment({ LLMR_API_KEY: "sk-never-shown" });
    expect(await runCli(["jobs", "submit"], io.edges)).toBe(ExitCode.usage);
    expect(io.err()).toBe(
      "llmr: jobs submit: give the text with --input TEXT or --file F (one of them)\nsee: llmr --help\n",
    );
    expect(await runCli(["batch", "submit", "/no/such/folder"], io.edges)).toBe(ExitCode.usage);
    expect(io.err()).toContain("/no/such/folder: no such file or folder");
    expect(await runCli(["batch", "submit", "/", "--window", "25:00-01:00"], io.edges)).toBe(ExitCode.usage);
    expect(io.err()).not.toContain("sk-never-shown");
  });
});
