const countFormat = new Intl.NumberFormat("en-US");

/**
 * `12480` → `12,480`. Every number in a routing reason is written this way, whatever the process's
 * locale, so reasons read the same in every log and can be matched by scripts.
 */
export function formatCount(value: number): string {
  return countFormat.format(value);
}
