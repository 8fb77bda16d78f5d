/**
 * The parser's state and its generic block machinery. Every block is a table of statement keywords
 * (`keyword ...;`) and sub-block keywords (`keyword ... {`), each with its rule, so an unknown keyword is
 * reported with the block it is in, the keywords it accepts and the closest one. The rules live beside their
 * block: neighbor.ts, family.ts, capability.ts, api.ts, operational.ts, process.ts, and the route sections in
 * routes/ (their route keywords in routes/keywords.ts).
 */

import { ConfigError, suggest } from '../errors.js';
import { Lexer, type Statement, type Token } from '../lexer.js';
import type { Attributes, Configuration, Neighbor, Process, SourceLocation } from '../model.js';
import { Words } from '../words.js';
import { neighborBlock, template } from './neighbor.js';
import { process } from './process.js';
import { checkApiProcesses, resolve } from './resolve.js';
import type { BlockSpec, Draft } from './types.js';

/** The top level of a configuration: `process`, `template` and `neighbor` blocks. */
const TOP_LEVEL: Readonly<Record<string, (p: ConfigurationParser, w: Words, keyword: Token) => void>> = {
  process,
  neighbor: (p, w, keyword) => neighborBlock(p, w, keyword, false),
  template,
};

export class ConfigurationParser {
  readonly lexer: Lexer;
  readonly file: string;
  readonly processes: Process[] = [];
  readonly processNames = new Map<string, Token>();
  readonly templates = new Map<string, Draft>();
  readonly neighbors: Draft[] = [];
  apiCounter = 0;
  /** Attributes objects by the text they were written with (see RouteDraft.attributeKey) */
  readonly attributeSets = new Map<string, Attributes>();
  readonly nextHops = new Map<string, string>();
  /** attribute values by their source text (`community [ 65000:1 ]`), see cachedAttributeValue */
  readonly attributeValues = new Map<string, unknown>();
  /** every `processes [ NAME ]` written, checked against the process blocks once the file is read */
  readonly processUses: { token: Token; name: string }[] = [];

  constructor(source: string, file: string) {
    this.lexer = new Lexer(source, file);
    this.file = file;
  }

  parse(): Configuration {
    const root = Object.keys(TOP_LEVEL);
    for (;;) {
      const statement = this.lexer.next();
      if (statement === undefined) break;
      const w = new Words(this.lexer, statement);
      if (statement.tokens.length === 0) {
        if (statement.end === ';') continue;
        throw this.lexer.error(
          statement.endToken,
          statement.end === '}' ? "unexpected '}': no block is open" : "a block needs a keyword before '{'",
          'process, neighbor or template',
        );
      }
      const keyword = w.next('keyword');
      const rule = keyword.quoted || !Object.hasOwn(TOP_LEVEL, keyword.text) ? undefined : TOP_LEVEL[keyword.text];
      if (rule === undefined) throw this.unknown(keyword, 'the top level', root, []);
      if (statement.end !== '{') {
        throw this.lexer.error(statement.endToken, `'${keyword.text}' opens a block`, "'{'");
      }
      rule(this, w, keyword);
    }
    const neighbors: Neighbor[] = [];
    const seen = new Map<string, Token>();
    for (const draft of this.neighbors) {
      const neighbor = resolve(this, draft);
      const key = `${neighbor.peerAddress} ${neighbor.localAddress}`;
      if (seen.has(key)) {
        throw this.lexer.error(
          draft.nameToken,
          `duplicate peer definition ${neighbor.peerAddress}`,
          'each neighbor once',
        );
      }
      seen.set(key, draft.nameToken);
      neighbors.push(neighbor);
    }
    checkApiProcesses(this, neighbors);
    return { file: this.file, processes: this.processes, neighbors, templates: [...this.templates.keys()] };
  }

  location(token: Token): SourceLocation {
    return { file: this.file, line: token.line, column: token.column };
  }

  unknown(token: Token, where: string, leaves: string[], blocks: string[]): ConfigError {
    const all = [...leaves, ...blocks];
    const guess = suggest(token.text, all);
    const expected = `one of: ${[...leaves.map((k) => k), ...blocks.map((k) => `${k} { }`)].join(', ')}`;
    return new ConfigError(this.file, this.lexer.source, token, `unknown keyword '${token.text}' in ${where}`, {
      expected,
      ...(guess === undefined ? {} : { hint: `did you mean '${guess}'?` }),
    });
  }

  /** Reads statements until the `}` closing the block opened by `opener`. */
  block(spec: BlockSpec, opener: Token): void {
    for (;;) {
      const statement = this.lexer.next();
      if (statement === undefined) {
        throw this.lexer.error(
          { line: opener.line, column: opener.column, length: opener.length },
          `block '${spec.name}' opened here is never closed`,
          "'}' before the end of the file",
        );
      }
      const tokens = statement.tokens;
      if (statement.end === '}') {
        if (tokens.length > 0) {
          const last = tokens[tokens.length - 1]!;
          throw this.lexer.error(
            { line: last.line, column: last.column + last.length, length: 1 },
            `statement '${tokens[0]!.text}' is not terminated before '}'`,
            "';'",
          );
        }
        return;
      }
      if (tokens.length === 0) {
        if (statement.end === ';') continue;
        throw this.lexer.error(statement.endToken, "a block needs a keyword before '{'", this.keywordList(spec));
      }
      this.dispatch(spec, statement, 0);
    }
  }

  /**
   * Run the rule of the keyword at `tokens[at]` of one statement, from the block's table: the same table
   * whether the statement is a line of a configuration file or an API command (see routes/command.ts).
   */
  dispatch(spec: BlockSpec, statement: Statement, at: number): void {
    const keyword = statement.tokens[at]!;
    const w = new Words(this.lexer, statement, at + 1);
    if (statement.end === ';') {
      const leaf = keyword.quoted ? undefined : spec.leaves[keyword.text];
      if (leaf !== undefined && Object.hasOwn(spec.leaves, keyword.text)) {
        if (spec.statement !== undefined) spec.statement(w, keyword);
        else leaf(w, keyword);
        return;
      }
      if (!keyword.quoted && Object.hasOwn(spec.blocks, keyword.text)) {
        throw this.lexer.error(statement.endToken, `'${keyword.text}' opens a block in ${spec.name}`, "'{'");
      }
    } else if (statement.end === '{') {
      const sub = keyword.quoted ? undefined : spec.blocks[keyword.text];
      if (sub !== undefined && Object.hasOwn(spec.blocks, keyword.text)) {
        sub(w, keyword, statement);
        return;
      }
      if (!keyword.quoted && Object.hasOwn(spec.leaves, keyword.text)) {
        throw this.lexer.error(
          statement.endToken,
          `'${keyword.text}' is a statement, not a block, in ${spec.name}`,
          "';'",
        );
      }
    }
    throw this.unknown(keyword, spec.name, Object.keys(spec.leaves), Object.keys(spec.blocks));
  }

  keywordList(spec: BlockSpec): string {
    return `one of: ${[...Object.keys(spec.leaves), ...Object.keys(spec.blocks)].join(', ')}`;
  }
}

export function parseConfiguration(source: string, file = '<text>'): Configuration {
  return new ConfigurationParser(source, file).parse();
}
