import { describe, expect, it } from 'vitest';
import { measureSource, stripCommentsAndStrings } from './complexity.js';

describe('the decision-point counter (McCabe, read from the source)', () => {
  it('a straight function has complexity 1', () => {
    const m = measureSource('export function f(a: number): number {\n  return a + 1;\n}\n');
    expect(m).toMatchObject({ lines: 3, decisionPoints: 0, functions: 1, cyclomatic: 1 });
  });

  it('counts if, loops, case, catch, ternaries and short-circuit operators', () => {
    const source = `function g(x: number[], y?: string) {
  for (const v of x) if (v > 1 && v < 5) return v;
  while (x.length) x.pop();
  switch (y) { case 'a': break; case 'b': break; }
  try { JSON.parse(y ?? '') } catch { return y ? 1 : 2; }
  return y || 'z';
}`;
    // for, if, &&, while, case, case, ??, catch, ?:, ||
    expect(measureSource(source).decisionPoints).toBe(10);
  });

  it('ignores words and operators inside comments and strings, and optional chaining', () => {
    const source = "// if (a && b)\nconst s = 'if || while';\n/* for case */\nconst t = a?.b;\n";
    expect(measureSource(source).decisionPoints).toBe(0);
    expect(stripCommentsAndStrings(source)).not.toContain('while');
  });

  it('counts arrow functions and methods as functions', () => {
    const source = 'class A {\n  run(x: number): number {\n    return [x].map((v) => v * 2)[0] ?? 0;\n  }\n}\n';
    expect(measureSource(source)).toMatchObject({ functions: 2, decisionPoints: 1 });
  });
});
