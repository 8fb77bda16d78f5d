/**
 * A cursor over the tokens of one statement, with typed reads that report errors at the token.
 */

import type { ConfigError } from './errors.js';
import type { Lexer, Statement, Token } from './lexer.js';
import { InvalidValue } from './values.js';

export class Words {
  readonly tokens: Token[];
  readonly statement: Statement;
  readonly lexer: Lexer;
  i: number;

  constructor(lexer: Lexer, statement: Statement, start = 0) {
    this.lexer = lexer;
    this.statement = statement;
    this.tokens = statement.tokens;
    this.i = start;
  }

  more(): boolean {
    return this.i < this.tokens.length;
  }

  peek(): Token | undefined {
    return this.tokens[this.i];
  }

  /** the text of the next token if it is unquoted, else undefined */
  peekWord(): string | undefined {
    const token = this.tokens[this.i];
    return token === undefined || token.quoted ? undefined : token.text;
  }

  /** The next token; `what` says what was expected when the statement ends here. */
  next(what: string): Token {
    const token = this.tokens[this.i];
    if (token === undefined) {
      const previous = this.tokens[this.i - 1];
      throw this.lexer.error(
        previous === undefined
          ? this.statement.endToken
          : { line: previous.line, column: previous.column + previous.length, length: 1 },
        `missing ${what}`,
        what,
      );
    }
    this.i++;
    return token;
  }

  /** Consumes `word` if it is next. */
  accept(word: string): boolean {
    const token = this.tokens[this.i];
    if (token !== undefined && !token.quoted && token.text === word) {
      this.i++;
      return true;
    }
    return false;
  }

  /** Requires `word` next. */
  expect(word: string): Token {
    const token = this.next(`'${word}'`);
    if (token.quoted || token.text !== word) throw this.error(token, `unexpected '${token.text}'`, `'${word}'`);
    return token;
  }

  /** Reads a token and converts it; an InvalidValue becomes a ConfigError at that token. */
  value<T>(what: string, convert: (text: string) => T): T {
    const token = this.next(what);
    return this.convert(token, convert);
  }

  convert<T>(token: Token, convert: (text: string) => T): T {
    try {
      return convert(token.text);
    } catch (error) {
      if (error instanceof InvalidValue) throw this.error(token, error.message, error.expected);
      throw error;
    }
  }

  /**
   * `[ a b c ]` (commas allowed between items) or one value. Returns the converted items in order.
   */
  list<T>(what: string, convert: (text: string) => T): T[] {
    const first = this.next(what);
    if (first.quoted || first.text !== '[') return [this.convert(first, convert)];
    const items: T[] = [];
    for (;;) {
      const token = this.next(`']' closing the list opened at ${first.line}:${first.column}`);
      if (!token.quoted && token.text === ']') return items;
      if (!token.quoted && token.text === ',') continue;
      items.push(this.convert(token, convert));
    }
  }

  /** Requires the statement to be over. */
  end(): void {
    const token = this.tokens[this.i];
    if (token !== undefined) {
      throw this.error(token, `unexpected '${token.text}'`, `'${this.statement.end}' to end the statement`);
    }
  }

  error(token: Token, reason: string, expected?: string): ConfigError {
    return this.lexer.error(token, reason, expected);
  }
}
