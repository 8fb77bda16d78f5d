import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors.js';
import { Lexer, type Statement } from './lexer.js';

function statements(text: string): Statement[] {
  const lexer = new Lexer(text, 'test.conf');
  const out: Statement[] = [];
  for (let s = lexer.next(); s !== undefined; s = lexer.next()) out.push(s);
  return out;
}

function words(text: string): string[][] {
  return statements(text).map((s) => [...s.tokens.map((t) => t.text), s.end]);
}

describe('lexer (ExaBGP core/format.py tokens, core/parser.py set_file)', () => {
  it('ends statements with ; { and }', () => {
    expect(words('neighbor 127.0.0.1 {\n local-as 1;\n}\n')).toEqual([
      ['neighbor', '127.0.0.1', '{'],
      ['local-as', '1', ';'],
      ['}'],
    ]);
  });

  it('makes [ ] , ( ) tokens of their own, glued or not', () => {
    expect(words('as-path [1,2 (3 4)];')).toEqual([['as-path', '[', '1', ',', '2', '(', '3', '4', ')', ']', ';']]);
  });

  it('drops # comments outside quotes and keeps # inside them', () => {
    expect(words('description "a # b"; # comment\n# whole line\nhold-time 3;')).toEqual([
      ['description', 'a # b', ';'],
      ['hold-time', '3', ';'],
    ]);
  });

  it('joins a line ending with a backslash (trailing blanks allowed) to the next', () => {
    expect(words('route 10.0.0.0/8 \\  \n   next-hop 1.2.3.4;')).toEqual([
      ['route', '10.0.0.0/8', 'next-hop', '1.2.3.4', ';'],
    ]);
  });

  it('reads single and double quotes with ; { } [ inside, and marks the token quoted', () => {
    const [s] = statements(`run 'a;b{c}' "d [e]";`);
    expect(s!.tokens.map((t) => [t.text, t.quoted])).toEqual([
      ['run', false],
      ['a;b{c}', true],
      ['d [e]', true],
    ]);
  });

  it('continues a word with a glued quote, as ExaBGP does', () => {
    expect(words('x a"b c"d;')).toEqual([['x', 'ab cd', ';']]);
  });

  it('applies escapes inside quotes and keeps an escaped character outside', () => {
    expect(words('x "a\\tb\\u0041\\"" c\\;d;')).toEqual([['x', 'a\tbA"', 'c;d', ';']]);
  });

  it('keeps 1-based line and column of every token', () => {
    const [a, b] = statements('a b;\n\tc  d;');
    expect(a!.tokens.map((t) => [t.line, t.column])).toEqual([
      [1, 1],
      [1, 3],
    ]);
    expect(b!.tokens.map((t) => [t.line, t.column])).toEqual([
      [2, 2],
      [2, 5],
    ]);
    expect(b!.endToken).toMatchObject({ line: 2, column: 6 });
  });

  it('refuses a statement that is not terminated on its line (ExaBGP: invalid syntax line N)', () => {
    expect(() => statements('local-as 1\npeer-as 2;')).toThrow(ConfigError);
    try {
      statements('local-as 1\npeer-as 2;');
    } catch (error) {
      const e = error as ConfigError;
      expect([e.line, e.column]).toEqual([1, 11]);
      expect(e.message).toContain('statement is not terminated at the end of the line');
    }
  });

  it('refuses an unterminated quote', () => {
    expect(() => statements('description "abc;\n')).toThrow(/unterminated quoted string/);
  });

  it('refuses a truncated unicode escape', () => {
    expect(() => statements('x "\\u12";')).toThrow(/4 hexadecimal digits/);
  });

  it('handles CRLF line ends', () => {
    expect(words('a 1;\r\nb 2;\r\n')).toEqual([
      ['a', '1', ';'],
      ['b', '2', ';'],
    ]);
  });
});
