import type { ProgressSample } from "./progress-line.ts";
import { formatProgress } from "./progress-line.ts";

/** Where progress goes: a stream that may be a terminal. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** @defaultValue 250 ms: a few redraws a second, no flicker, little CPU. */
const TTY_REDRAW_MS = 250;
/** @defaultValue 10 s: a log (CI, a file) gets a line now and then, not a flood. */
const PLAIN_EVERY_MS = 10_000;

/**
 * Draws progress samples. On a terminal: one line with a bar, redrawn in place (`\r` + erase to
 * end of line) at most every 250 ms. Elsewhere (a pipe, a file, CI): a plain line without escape
 * codes every 10 s and whenever the batch finishes.
 */
export class ProgressReporter {
  readonly #out: ProgressStream;
  readonly #tty: boolean;
  readonly #now: () => number;
  #first: ProgressSample | undefined;
  #lastDrawMs = Number.NEGATIVE_INFINITY;
  #drawn = false;

  constructor(out: ProgressStream, options: { now?: () => number; tty?: boolean } = {}) {
    this.#out = out;
    this.#tty = options.tty ?? out.isTTY === true;
    this.#now = options.now ?? Date.now;
  }

  /** Takes a new sample; draws it if enough time has passed (or `force`). */
  update(sample: ProgressSample, force = false): void {
    this.#first ??= sample;
    const now = this.#now();
    const gap = this.#tty ? TTY_REDRAW_MS : PLAIN_EVERY_MS;
    if (!force && now - this.#lastDrawMs < gap) return;
    this.#lastDrawMs = now;
    const line = formatProgress(this.#first, sample, this.#tty);
    if (this.#tty) {
      this.#out.write(`\r${line}\x1b[K`);
      this.#drawn = true;
    } else {
      this.#out.write(`${line}\n`);
    }
  }

  /** A line of its own between progress lines (the live line is redrawn after it). */
  note(text: string): void {
    this.finish();
    this.#out.write(`${text}\n`);
    this.#lastDrawMs = Number.NEGATIVE_INFINITY;
  }

  /** Ends the live line so that what follows starts on a line of its own. */
  finish(): void {
    if (this.#tty && this.#drawn) this.#out.write("\n");
    this.#drawn = false;
  }
}
