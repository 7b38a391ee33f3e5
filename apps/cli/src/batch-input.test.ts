import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  folderInputs,
  folderLines,
  jsonlLines,
  renameLines,
  summaryPath,
  summaryPaths,
} from "./batch-input.ts";
import { ApiError } from "./exit-codes.ts";

async function collect(lines: AsyncIterable<string>): Promise<unknown[]> {
  const parsed: unknown[] = [];
  for await (const line of lines) {
    expect(line).not.toContain("\n"); // one JSON value per NDJSON line
    parsed.push(JSON.parse(line));
  }
  return parsed;
}

function folder(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "llmr-cli-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(root, name, ".."), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}

describe("a folder as NDJSON", () => {
  it("one item per .txt/.md file (recursively, sorted), skipping summaries, dot files and other files", async () => {
    const root = folder({
      "b.txt": 'Bee.\n\nSecond paragraph with "quotes" and a tab\t.',
      "a.md": "# Ay",
      "notes/c.txt": "Sea",
      "a.summary.md": "an earlier run's output",
      ".hidden/d.txt": "no",
      "image.png": "no",
    });
    const names = await folderInputs(root);
    expect(names).toEqual(["a.md", "b.txt", "notes/c.txt"]);
    const lines = await collect(
      folderLines(root, names, { defaults: { task: "summarize" }, complete_by: "2030-01-01T06:00:00.000Z" }),
    );
    expect(lines).toEqual([
      { object: "batch.options", defaults: { task: "summarize" }, complete_by: "2030-01-01T06:00:00.000Z" },
      { custom_id: "a.md", input: "# Ay" },
      { custom_id: "b.txt", input: 'Bee.\n\nSecond paragraph with "quotes" and a tab\t.' },
      { custom_id: "notes/c.txt", input: "Sea" },
    ]);
  });

  it("reads a file only when the upload asks for its line", async () => {
    const root = folder({ "a.txt": "A", "b.txt": "B" });
    const lines = folderLines(root, ["a.txt", "b.txt", "missing.txt"], {});
    expect((await lines.next()).value).toContain("batch.options");
    expect((await lines.next()).value).toContain('"a.txt"');
    expect((await lines.next()).value).toContain('"b.txt"');
    await expect(lines.next()).rejects.toThrow(/missing\.txt/);
  });

  it("summaries are named after the input: notes/c.txt → notes/c.summary.md", () => {
    expect(summaryPath("notes/c.txt")).toBe("notes/c.summary.md");
    expect(summaryPath("a.md")).toBe("a.summary.md");
    expect(summaryPath("doc-1")).toBe("doc-1.summary.md");
  });

  it("two inputs that would share a summary keep their extensions in its name", () => {
    const nameOf = summaryPaths(["a.md", "a.txt", "b.txt"]);
    expect(["a.md", "a.txt", "b.txt"].map(nameOf)).toEqual([
      "a.md.summary.md",
      "a.txt.summary.md",
      "b.summary.md",
    ]);
  });
});

describe("a .jsonl file as NDJSON", () => {
  it("sends its lines as they are (blank ones too: the API numbers lines as the file does), after an options line", async () => {
    const root = folder({ "items.jsonl": '{"custom_id":"x","input":"X"}\n\n{"custom_id":"y","input":"Y"}' });
    const layout = { prepended: false };
    const lines: string[] = [];
    for await (const line of jsonlLines(
      join(root, "items.jsonl"),
      { defaults: { task: "summarize" } },
      layout,
    )) {
      lines.push(line);
    }
    expect(lines).toEqual([
      JSON.stringify({ object: "batch.options", defaults: { task: "summarize" } }),
      '{"custom_id":"x","input":"X"}',
      "",
      '{"custom_id":"y","input":"Y"}',
    ]);
    expect(layout.prepended).toBe(true);
  });

  it("an API error's lines[N] is renamed to what the user knows (a file, a line of theirs)", () => {
    const error = new ApiError(400, {
      type: "invalid_request_error",
      message: "lines[3].input: must be a string, not a number",
      param: "lines[3].input",
    });
    const renamed = renameLines(error, (n) => `line ${n - 1}`) as ApiError;
    expect(renamed.message).toBe(
      "API error 400 invalid_request_error: line 2: input: must be a string, not a number (param: line 2: input)",
    );
    expect(renamed.status).toBe(400);
    const other = new Error("boom");
    expect(renameLines(other, String)).toBe(other);
  });

  it("merges the flags into the file's own options line (the flags win)", async () => {
    const own = {
      object: "batch.options",
      defaults: { max_output_tokens: 64, task: "chat" },
      not_before: "2030-01-01T00:00:00Z",
    };
    const root = folder({ "items.jsonl": `${JSON.stringify(own)}\n{"custom_id":"x","input":"X"}\n` });
    const lines = await collect(
      jsonlLines(join(root, "items.jsonl"), {
        defaults: { task: "summarize" },
        not_before: undefined,
        complete_by: "2030-01-02T00:00:00.000Z",
      }),
    );
    expect(lines).toEqual([
      {
        object: "batch.options",
        defaults: { max_output_tokens: 64, task: "summarize" },
        not_before: "2030-01-01T00:00:00Z",
        complete_by: "2030-01-02T00:00:00.000Z",
      },
      { custom_id: "x", input: "X" },
    ]);
  });
});
