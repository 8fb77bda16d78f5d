import { readFileSync } from 'node:fs';

/**
 * Size and cyclomatic complexity of TypeScript source, read from the file: lines of code (not blank, not
 * only comment) and decision points (McCabe: if, for, while, do, case, catch, ?:, &&, ||, ??, and their
 * assignment forms). Complexity is decision points + 1 per function (function, method, arrow, generator).
 * Comments, strings and template text are blanked first so that words inside them do not count.
 */
export interface CodeMeasure {
  readonly file: string;
  readonly lines: number;
  readonly decisionPoints: number;
  readonly functions: number;
  /** decisionPoints + functions: the sum of each function's McCabe number. */
  readonly cyclomatic: number;
}

export function stripCommentsAndStrings(source: string): string {
  let out = '';
  let i = 0;
  const n = source.length;
  while (i < n) {
    const c = source[i] as string;
    const next = source[i + 1];
    if (c === '/' && next === '/') {
      while (i < n && source[i] !== '\n') i++;
    } else if (c === '/' && next === '*') {
      i += 2;
      while (i < n && !(source[i] === '*' && source[i + 1] === '/')) {
        if (source[i] === '\n') out += '\n';
        i++;
      }
      i += 2;
    } else if (c === '"' || c === "'" || c === '`') {
      i++;
      while (i < n && source[i] !== c) {
        if (source[i] === '\\') i++;
        else if (source[i] === '\n') out += '\n';
        i++;
      }
      i++;
      out += '""';
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

const DECISIONS = /\b(if|for|while|case|catch)\b|\?\?=?|\|\|=?|&&=?|\?(?![.:])/g;
const FUNCTIONS =
  /\bfunction\b\*?|=>|^\s*(?:(?:public|private|protected|static|async|override|get|set|readonly)\s+)*\*?\s*[A-Za-z_$][\w$]*\s*(?:<[^>]*>)?\s*\([^;]*\)\s*(?::\s*[^={;]+)?\s*\{\s*$/gm;

export function measureSource(source: string, file = '<source>'): CodeMeasure {
  const code = stripCommentsAndStrings(source);
  const lines = code.split('\n').filter((l) => l.trim() !== '').length;
  // `do { } while ()` counts once, at its while; `else if` counts at its if.
  const decisionPoints = (code.match(DECISIONS) ?? []).length;
  const functions = (code.match(FUNCTIONS) ?? []).filter((m) => !/^\s*(if|for|while|switch|catch)\b/.test(m)).length;
  return { file, lines, decisionPoints, functions, cyclomatic: decisionPoints + functions };
}

export function measureFiles(files: readonly string[]): CodeMeasure {
  let lines = 0;
  let decisionPoints = 0;
  let functions = 0;
  for (const file of files) {
    const m = measureSource(readFileSync(file, 'utf8'), file);
    lines += m.lines;
    decisionPoints += m.decisionPoints;
    functions += m.functions;
  }
  return { file: files.join(', '), lines, decisionPoints, functions, cyclomatic: decisionPoints + functions };
}
