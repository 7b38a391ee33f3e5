/**
 * Turns child output into `name │ line`, so four processes can share one terminal. On a
 * terminal, pino's JSON lines are shown as `12:00:01 INFO  message key=value` (pino-pretty is
 * not a dependency; this covers what a developer reads while trying the system out). Piped
 * output keeps the raw JSON so that it stays machine-readable.
 */

const COLORS = ["\u001b[36m", "\u001b[35m", "\u001b[33m", "\u001b[32m", "\u001b[34m"] as const;
const RESET = "\u001b[0m";
const DIM = "\u001b[2m";

/** pino's numeric levels. */
const LEVEL_NAMES: Record<number, string> = {
  10: "TRACE",
  20: "DEBUG",
  30: "INFO",
  40: "WARN",
  50: "ERROR",
  60: "FATAL",
};

/** Fields pino writes on every line, which the pretty form shows differently or not at all. */
const HIDDEN_FIELDS = new Set(["level", "time", "msg", "pid", "hostname", "name", "v"]);

/** Options of {@link createLinePrinter}. */
export interface LinePrinterOptions {
  /** Every process name, so prefixes line up. */
  names: readonly string[];
  /** Colors and pino formatting. @defaultValue `process.stdout.isTTY` */
  pretty?: boolean;
  /** Where lines go. @defaultValue writes to stdout */
  write?: (text: string) => void;
}

/**
 * Returns `print(name, line)` that writes one prefixed line.
 *
 * @example
 * ```ts
 * const print = createLinePrinter({ names: ["api", "worker"] });
 * print("api", '{"level":30,"time":0,"msg":"listening"}');
 * ```
 */
export function createLinePrinter(options: LinePrinterOptions): (name: string, line: string) => void {
  const pretty = options.pretty ?? process.stdout.isTTY === true;
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  const width = Math.max(...options.names.map((name) => name.length));
  return (name, line) => {
    const index = Math.max(0, options.names.indexOf(name));
    const label = name.padEnd(width);
    const prefix = pretty ? `${COLORS[index % COLORS.length]}${label}${RESET} │ ` : `${label} │ `;
    write(`${prefix}${pretty ? formatPinoLine(line) : line}\n`);
  };
}

/** A pino JSON line as `time LEVEL msg key=value…`; any other line unchanged. */
export function formatPinoLine(line: string): string {
  if (!line.startsWith("{")) return line;
  let record: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(line);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return line;
    record = parsed as Record<string, unknown>;
  } catch {
    return line;
  }
  // Levels are numbers by default, names when a logger formats them (the simulator does).
  const levelName =
    typeof record.level === "number" ? (LEVEL_NAMES[record.level] ?? String(record.level)) : record.level;
  if (typeof levelName !== "string" || typeof record.msg !== "string") return line;
  const time = typeof record.time === "number" ? new Date(record.time).toTimeString().slice(0, 8) : "";
  const level = levelName.toUpperCase().padEnd(5);
  const extras = Object.entries(record)
    .filter(([key]) => !HIDDEN_FIELDS.has(key))
    .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join(" ");
  return `${time === "" ? "" : `${DIM}${time}${RESET} `}${level} ${record.msg}${extras === "" ? "" : ` ${DIM}${extras}${RESET}`}`;
}
