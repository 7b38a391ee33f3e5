/**
 * A custom check cannot be loaded: its module does not import, or its default export is not a
 * function. Fix the module or the config; the process must not start without the check, since
 * answers would otherwise go unchecked.
 */
export class CheckLoadError extends Error {
  override readonly name = "CheckLoadError";
  /** The check's name in the config. */
  readonly check: string;
  /** The module path (or file URL) the config gives. */
  readonly module: string;

  constructor(check: string, module: string, message: string, options?: { cause?: unknown }) {
    super(`custom check "${check}" (${module}): ${message}`, options);
    this.check = check;
    this.module = module;
  }
}
