/** JSON comparison as ExaBGP's test tools do it: Python `==` on the parsed values. */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Python dict/list equality: object keys in any order, arrays in order. */
export function jsonEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i]!, b[i]!)) return false;
    return true;
  }
  const ao = a as { [key: string]: Json };
  const bo = b as { [key: string]: Json };
  const keys = Object.keys(ao);
  if (keys.length !== Object.keys(bo).length) return false;
  for (const key of keys) {
    if (!Object.hasOwn(bo, key) || !jsonEqual(ao[key]!, bo[key]!)) return false;
  }
  return true;
}

/** Drop `keys` from the top level (qa/bin/functional `DecodingTests._cleanup`). */
export function dropTopLevel(value: Json, keys: readonly string[]): Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: { [key: string]: Json } = {};
  for (const [key, v] of Object.entries(value)) if (!keys.includes(key)) out[key] = v;
  return out;
}

/** Drop `keys` at every depth (qa/bin/test_json `normalize_json`). */
export function dropEverywhere(value: Json, keys: readonly string[]): Json {
  if (Array.isArray(value))
    return value.map((v) => (v !== null && typeof v === 'object' ? dropEverywhere(v, keys) : v));
  if (value === null || typeof value !== 'object') return value;
  const out: { [key: string]: Json } = {};
  for (const [key, v] of Object.entries(value)) if (!keys.includes(key)) out[key] = dropEverywhere(v, keys);
  return out;
}

/** The first path where two JSON values differ, for a short failure reason. */
export function firstDifference(expected: Json, actual: Json, path = '$'): string | undefined {
  if (jsonEqual(expected, actual)) return undefined;
  if (
    expected !== null &&
    actual !== null &&
    typeof expected === 'object' &&
    typeof actual === 'object' &&
    Array.isArray(expected) === Array.isArray(actual)
  ) {
    if (Array.isArray(expected) && Array.isArray(actual)) {
      for (let i = 0; i < Math.max(expected.length, actual.length); i++) {
        if (i >= expected.length) return `${path}[${i}] not expected`;
        if (i >= actual.length) return `${path}[${i}] missing`;
        const d = firstDifference(expected[i]!, actual[i]!, `${path}[${i}]`);
        if (d) return d;
      }
      return undefined;
    }
    const e = expected as { [key: string]: Json };
    const a = actual as { [key: string]: Json };
    for (const key of Object.keys(e)) {
      if (!Object.hasOwn(a, key)) return `${path}.${key} missing`;
      const d = firstDifference(e[key]!, a[key]!, `${path}.${key}`);
      if (d) return d;
    }
    for (const key of Object.keys(a)) if (!Object.hasOwn(e, key)) return `${path}.${key} not expected`;
    return undefined;
  }
  return `${path}: expected ${short(expected)}, got ${short(actual)}`;
}

function short(value: Json): string {
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
