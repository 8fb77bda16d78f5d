/**
 * Lexer for ExaBGP's configuration language, following ExaBGP's own tokeniser
 * (src/exabgp/configuration/core/format.py and core/parser.py):
 *
 * - a line ending with `\` (trailing blanks allowed) continues on the next line;
 * - `#` outside quotes starts a comment running to the end of the line;
 * - `'...'` and `"..."` make one token, blanks and special characters included; inside them `\n`, `\t`, `\r`,
 *   `\b`, `\f`, `\uXXXX` are escapes and `\` before any other character keeps that character;
 *   a quote glued to a word continues the word (`a"b c"` is the token `ab c`), as in ExaBGP;
 * - `[`, `]` and `,` are tokens of their own; so are `(` and `)` (ExaBGP's configuration tokeniser leaves them
 *   glued to words and its API tokeniser splits them: splitting accepts both `( 1 2 )` and `(1 2)`);
 * - a statement ends with `;`, `{` or `}`; a statement must end on its line (or continue with `\`), as ExaBGP
 *   reports an unterminated line as a syntax error.
 *
 * Scanning works on char codes with a class table; a token's text is one `slice` of the source unless it holds
 * quotes or escapes. Tokens keep their 1-based line and column.
 */

import { ConfigError } from './errors.js';

export interface Token {
  text: string;
  line: number;
  column: number;
  /** characters the token spans in the source (for the error caret) */
  length: number;
  /** written with quotes: never a keyword or punctuation */
  quoted: boolean;
  /** index of the token's first character in the source (its text may differ when quoted or escaped) */
  offset: number;
  /** index just after the token's last character in the source */
  end: number;
}

export type Terminator = ';' | '{' | '}';

export interface Statement {
  tokens: Token[];
  end: Terminator;
  /** the terminator itself, for errors that point at the end of a statement */
  endToken: Token;
}

const BLANK = 1;
const NEWLINE = 2;
const COMMENT = 3;
const TERMINATOR = 4;
const PUNCTUATION = 5;
const QUOTE = 6;
const BACKSLASH = 7;

const CLASS = new Uint8Array(128);
CLASS[0x20] = BLANK;
CLASS[0x09] = BLANK;
CLASS[0x0d] = BLANK;
CLASS[0x0b] = BLANK;
CLASS[0x0c] = BLANK;
CLASS[0x0a] = NEWLINE;
CLASS[0x23] = COMMENT; // #
CLASS[0x3b] = TERMINATOR; // ;
CLASS[0x7b] = TERMINATOR; // {
CLASS[0x7d] = TERMINATOR; // }
CLASS[0x5b] = PUNCTUATION; // [
CLASS[0x5d] = PUNCTUATION; // ]
CLASS[0x2c] = PUNCTUATION; // ,
CLASS[0x28] = PUNCTUATION; // (
CLASS[0x29] = PUNCTUATION; // )
CLASS[0x22] = QUOTE; // "
CLASS[0x27] = QUOTE; // '
CLASS[0x5c] = BACKSLASH; // \

const PUNCTUATION_TEXT: Record<number, string> = { 91: '[', 93: ']', 44: ',', 40: '(', 41: ')' };

export class Lexer {
  readonly source: string;
  readonly file: string;
  private pos = 0;
  private line = 1;
  private lineStart = 0;

  constructor(source: string, file: string) {
    this.source = source;
    this.file = file;
  }

  error(token: { line: number; column: number; length: number }, reason: string, expected?: string): ConfigError {
    return new ConfigError(this.file, this.source, token, reason, expected === undefined ? {} : { expected });
  }

  /** The next statement, or undefined at the end of the text. */
  next(): Statement | undefined {
    const src = this.source;
    const length = src.length;
    const tokens: Token[] = [];
    let i = this.pos;
    for (;;) {
      if (i >= length) {
        this.pos = i;
        if (tokens.length > 0) throw this.unterminated(tokens);
        return undefined;
      }
      const code = src.charCodeAt(i);
      const kind = code < 128 ? CLASS[code]! : 0;
      switch (kind) {
        case BLANK:
          i++;
          continue;
        case NEWLINE:
          if (tokens.length > 0) {
            this.pos = i;
            throw this.unterminated(tokens);
          }
          i++;
          this.line++;
          this.lineStart = i;
          continue;
        case COMMENT: {
          const eol = src.indexOf('\n', i);
          i = eol < 0 ? length : eol;
          continue;
        }
        case TERMINATOR: {
          const endToken: Token = {
            text: src[i]!,
            line: this.line,
            column: i - this.lineStart + 1,
            length: 1,
            quoted: false,
            offset: i,
            end: i + 1,
          };
          this.pos = i + 1;
          return { tokens, end: endToken.text as Terminator, endToken };
        }
        case PUNCTUATION:
          tokens.push({
            text: PUNCTUATION_TEXT[code]!,
            line: this.line,
            column: i - this.lineStart + 1,
            length: 1,
            quoted: false,
            offset: i,
            end: i + 1,
          });
          i++;
          continue;
        case BACKSLASH: {
          const after = this.continuation(i);
          if (after >= 0) {
            i = after;
            continue;
          }
          i = this.word(i, tokens);
          continue;
        }
        case QUOTE:
          i = this.word(i, tokens);
          continue;
        default: {
          // fast path: a plain word is one slice of the source
          const start = i;
          let j = i + 1;
          for (; j < length; j++) {
            const c = src.charCodeAt(j);
            if (c < 128 && CLASS[c] !== 0) break;
          }
          const stop = j < length ? src.charCodeAt(j) : 0;
          if (j < length && (CLASS[stop] === QUOTE || CLASS[stop] === BACKSLASH)) {
            i = this.word(start, tokens);
            continue;
          }
          tokens.push({
            text: src.slice(start, j),
            line: this.line,
            column: start - this.lineStart + 1,
            length: j - start,
            quoted: false,
            offset: start,
            end: j,
          });
          i = j;
        }
      }
    }
  }

  /** If a `\` at `i` ends its line (blanks allowed after it), the position after the newline; else -1. */
  private continuation(i: number): number {
    const src = this.source;
    let j = i + 1;
    while (j < src.length) {
      const c = src.charCodeAt(j);
      if (c === 0x20 || c === 0x09 || c === 0x0d) {
        j++;
        continue;
      }
      if (c === 0x0a) {
        this.line++;
        this.lineStart = j + 1;
        return j + 1;
      }
      return -1;
    }
    return j;
  }

  /** Slow path: a word holding quotes or escapes, built piece by piece. Returns the position after it. */
  private word(i: number, tokens: Token[]): number {
    const src = this.source;
    const length = src.length;
    const line = this.line;
    const column = i - this.lineStart + 1;
    const startLine = this.line;
    const startOffset = i;
    let text = '';
    let quote = 0;
    let quoted = false;
    let quoteColumn = column;
    for (; i < length; ) {
      const code = src.charCodeAt(i);
      if (quote !== 0) {
        if (code === quote) {
          quote = 0;
          i++;
          continue;
        }
        if (code === 0x0a) {
          throw new ConfigError(
            this.file,
            src,
            { line, column: quoteColumn, length: Math.max(1, i - this.lineStart + 1 - quoteColumn) },
            'unterminated quoted string',
            { expected: `a closing ${String.fromCharCode(quote)} on the same line` },
          );
        }
        if (code === 0x5c) {
          const after = this.continuation(i);
          if (after >= 0) {
            i = after;
            continue;
          }
          const [piece, next] = this.escape(i, true);
          text += piece;
          i = next;
          continue;
        }
        text += src[i];
        i++;
        continue;
      }
      const kind = code < 128 ? CLASS[code]! : 0;
      if (kind === QUOTE) {
        quote = code;
        quoted = true;
        quoteColumn = i - this.lineStart + 1;
        i++;
        continue;
      }
      if (kind === BACKSLASH) {
        const after = this.continuation(i);
        if (after >= 0) break;
        const [piece, next] = this.escape(i, false);
        text += piece;
        i = next;
        continue;
      }
      if (kind !== 0) break;
      text += src[i];
      i++;
    }
    if (quote !== 0) {
      throw new ConfigError(
        this.file,
        src,
        { line: this.line, column: quoteColumn, length: 1 },
        'unterminated quoted string',
        { expected: `a closing ${String.fromCharCode(quote)}` },
      );
    }
    const spanned = this.line === startLine ? i - this.lineStart + 1 - column : 1;
    tokens.push({ text, line, column, length: Math.max(1, spanned), quoted, offset: startOffset, end: i });
    return i;
  }

  /** Reads the escape at `i` (a backslash). Returns the character(s) it stands for and the position after it. */
  private escape(i: number, inQuotes: boolean): [string, number] {
    const src = this.source;
    const next = src[i + 1];
    if (next === undefined) return ['\\', i + 1];
    if (!inQuotes) return [next, i + 2];
    switch (next) {
      case 'n':
        return ['\n', i + 2];
      case 't':
        return ['\t', i + 2];
      case 'r':
        return ['\r', i + 2];
      case 'b':
        return ['\b', i + 2];
      case 'f':
        return ['\f', i + 2];
      case 'u': {
        const digits = src.slice(i + 2, i + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(digits)) {
          throw new ConfigError(
            this.file,
            src,
            { line: this.line, column: i - this.lineStart + 1, length: 2 + digits.length },
            `unicode escape \\u${digits} needs 4 hexadecimal digits`,
          );
        }
        return [String.fromCharCode(Number.parseInt(digits, 16)), i + 6];
      }
      default:
        return [next, i + 2];
    }
  }

  private unterminated(tokens: Token[]): ConfigError {
    const last = tokens[tokens.length - 1]!;
    return new ConfigError(
      this.file,
      this.source,
      { line: last.line, column: last.column + last.length, length: 1 },
      'statement is not terminated at the end of the line',
      { expected: "';' to end the statement, '{' to open a block, or '\\' to continue on the next line" },
    );
  }
}
