/** One line of an NDJSON body: its text, or why it cannot be read. Lines count from 1, as editors do. */
export type NdjsonLine = { line: number; text: string } | { line: number; error: string };

const NEWLINE = 0x0a;

/**
 * Splits a byte stream into lines as they arrive, holding at most one line (of at most
 * `maxLineBytes`) in memory: a longer line is reported and skipped without being kept. Blank
 * lines are skipped (a trailing newline is usual); `\r\n` endings are accepted. A line that is
 * not UTF-8 is reported rather than read with replacement characters.
 *
 * @example
 * ```ts
 * for await (const line of ndjsonLines(req, 1_048_576)) if ("text" in line) JSON.parse(line.text);
 * ```
 */
export async function* ndjsonLines(
  source: AsyncIterable<Uint8Array | string>,
  maxLineBytes: number,
): AsyncGenerator<NdjsonLine> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let parts: Buffer[] = [];
  let length = 0;
  let tooLong = false;
  let line = 1;

  const finish = (): NdjsonLine | undefined => {
    const at = line++;
    if (tooLong) return { line: at, error: `longer than ${maxLineBytes} bytes` };
    let bytes = Buffer.concat(parts, length);
    if (bytes.at(-1) === 0x0d) bytes = bytes.subarray(0, -1);
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      return { line: at, error: "not valid UTF-8" };
    }
    return text.trim() === "" ? undefined : { line: at, text };
  };
  const take = (bytes: Buffer) => {
    if (tooLong || bytes.length === 0) return;
    if (length + bytes.length > maxLineBytes) {
      tooLong = true;
      parts = [];
      length = 0;
      return;
    }
    parts.push(bytes);
    length += bytes.length;
  };

  for await (const chunk of source) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : Buffer.from(chunk);
    let start = 0;
    for (let end = buffer.indexOf(NEWLINE); end !== -1; end = buffer.indexOf(NEWLINE, start)) {
      take(buffer.subarray(start, end));
      const done = finish();
      parts = [];
      length = 0;
      tooLong = false;
      if (done) yield done;
      start = end + 1;
    }
    // Copied: the rest may outlive this chunk, whose buffer the stream may reuse.
    take(Buffer.from(buffer.subarray(start)));
  }
  if (length > 0 || tooLong) {
    const done = finish();
    if (done) yield done;
  }
}
