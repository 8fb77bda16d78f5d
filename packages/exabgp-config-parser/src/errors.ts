/**
 * The one error type of the configuration parser: a bad configuration is reported with its place
 * (file:line:column), the line itself with a caret under the offending token, and what was expected there.
 */

/** Where an error points: 1-based line and column, and how many characters to underline. */
export interface ErrorPosition {
  line: number;
  column: number;
  length: number;
}

export interface ConfigErrorDetails {
  /** what was expected at this place (`an IPv4 address`, `';'`, `one of: ...`) */
  expected?: string;
  /** a suggestion, e.g. the keyword the user probably meant */
  hint?: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly length: number;
  /** the problem, without place or context (`unknown keyword 'nexthop' in neighbor`) */
  readonly reason: string;
  readonly expected: string | undefined;
  readonly hint: string | undefined;
  /** the text of the offending line (tabs kept so the caret lines up) */
  readonly sourceLine: string;

  constructor(file: string, source: string, position: ErrorPosition, reason: string, details: ConfigErrorDetails = {}) {
    const sourceLine = lineOf(source, position.line);
    super(format(file, sourceLine, position, reason, details));
    this.file = file;
    this.line = position.line;
    this.column = position.column;
    this.length = position.length;
    this.reason = reason;
    this.expected = details.expected;
    this.hint = details.hint;
    this.sourceLine = sourceLine;
  }
}

function lineOf(source: string, line: number): string {
  let start = 0;
  for (let n = 1; n < line; n++) {
    const next = source.indexOf('\n', start);
    if (next < 0) return '';
    start = next + 1;
  }
  let end = source.indexOf('\n', start);
  if (end < 0) end = source.length;
  if (end > start && source.charCodeAt(end - 1) === 13) end--;
  return source.slice(start, end);
}

function format(
  file: string,
  sourceLine: string,
  position: ErrorPosition,
  reason: string,
  details: ConfigErrorDetails,
): string {
  const gutter = String(position.line);
  const pad = ' '.repeat(gutter.length);
  // keep the tabs of the line in the caret's indentation so the caret sits under the token in any terminal
  let indent = '';
  for (let i = 0; i < position.column - 1 && i < sourceLine.length; i++) {
    indent += sourceLine[i] === '\t' ? '\t' : ' ';
  }
  const caret = '^'.repeat(Math.max(1, position.length));
  const lines = [
    `${file}:${position.line}:${position.column}: ${reason}`,
    ` ${pad} |`,
    ` ${gutter} | ${sourceLine}`,
    ` ${pad} | ${indent}${caret}`,
  ];
  if (details.expected !== undefined) lines.push(`expected: ${details.expected}`);
  if (details.hint !== undefined) lines.push(details.hint);
  return lines.join('\n');
}

/** Levenshtein distance, for did-you-mean suggestions. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const previous = new Array<number>(b.length + 1);
  const current = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    for (let j = 0; j <= b.length; j++) previous[j] = current[j]!;
  }
  return previous[b.length]!;
}

/** The closest candidates to `word` (distance at most a third of its length, at least 2), best first. */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  const limit = Math.max(2, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
