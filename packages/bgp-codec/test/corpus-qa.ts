/**
 * A reader for ExaBGP's conformance corpus (../shared/exabgp-qa, see its README): the `.ci` records,
 * the decoding tests, and just enough of each configuration to know what the session negotiated.
 * The corpus is read at run time and never copied into the project.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type FamilyKey, familyKey } from '../src/families/key.js';
import { familyRowByName, familyRows } from '../src/families/table.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Where the corpus is: EXABGP_QA_DIR, else ../shared/exabgp-qa next to the repository. */
export const QA_DIR = process.env.EXABGP_QA_DIR ?? resolve(REPO_ROOT, '../shared/exabgp-qa');
export const QA_PRESENT = existsSync(join(QA_DIR, 'qa/encoding'));
export const QA_ABSENT_REASON = `ExaBGP corpus not found at ${QA_DIR} (set EXABGP_QA_DIR)`;

export interface CiRecord {
  /** The expectation group: letter and number (`A1`); a bare number means letter A. */
  readonly group: string;
  readonly kind: string;
  readonly value: string;
  /** 1-based line in the .ci file, for messages. */
  readonly line: number;
}

export interface CiFile {
  readonly name: string;
  readonly options: readonly string[];
  readonly configs: readonly string[];
  readonly records: readonly CiRecord[];
}

export function readCi(path: string): CiFile {
  const options: string[] = [];
  const configs: string[] = [];
  const records: CiRecord[] = [];
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((text, index) => {
      const line = text.trim();
      // ExaBGP's checker drops any line containing '#'.
      if (line === '' || line.includes('#')) return;
      if (line.startsWith('option:')) {
        const option = line.slice('option:'.length);
        options.push(option);
        if (option.startsWith('file:')) configs.push(option.slice('file:'.length));
        return;
      }
      const match = /^([A-Z]?)(\d+):([a-z0-9]+):(.*)$/.exec(line);
      if (!match) return;
      const [, letter, number, kind, value] = match as unknown as [string, string, string, string, string];
      records.push({ group: `${letter || 'A'}${number}`, kind, value, line: index + 1 });
    });
  return { name: path.split('/').pop() ?? path, options, configs, records };
}

export function ciFiles(corpus: 'encoding' | 'api'): CiFile[] {
  const dir = join(QA_DIR, 'qa', corpus);
  return readdirSync(dir)
    .filter((name) => name.endsWith('.ci'))
    .sort()
    .map((name) => readCi(join(dir, name)));
}

/** A `cmd:` and the `raw:` that follows it in the same group; `json` is the JSON printed for that raw, if any. */
export interface CmdRawPair {
  readonly file: string;
  readonly line: number;
  readonly cmd: string;
  readonly raw: Uint8Array;
  readonly json?: string;
}

export function cmdRawPairs(ci: CiFile): CmdRawPair[] {
  const pairs: CmdRawPair[] = [];
  const pending = new Map<string, CiRecord>();
  let last: { group: string; index: number } | undefined;
  for (const record of ci.records) {
    if (record.kind === 'cmd') {
      pending.set(record.group, record);
      last = undefined;
    } else if (record.kind === 'raw') {
      const cmd = pending.get(record.group);
      last = undefined;
      if (cmd) {
        pending.delete(record.group);
        pairs.push({ file: ci.name, line: cmd.line, cmd: cmd.value, raw: hexBytes(record.value) });
        last = { group: record.group, index: pairs.length - 1 };
      }
    } else if (record.kind === 'json' && last && last.group === record.group) {
      const pair = pairs[last.index];
      if (pair) pairs[last.index] = { ...pair, json: record.value };
      last = undefined;
    }
  }
  return pairs;
}

/** Every `raw:` line followed by a `json:` line (whether or not a `cmd:` precedes it). */
export function rawJsonPairs(ci: CiFile): Array<{ file: string; line: number; raw: Uint8Array; json: string }> {
  const out: Array<{ file: string; line: number; raw: Uint8Array; json: string }> = [];
  let previous: CiRecord | undefined;
  for (const record of ci.records) {
    if (record.kind === 'json' && previous?.kind === 'raw' && previous.group === record.group) {
      out.push({ file: ci.name, line: record.line, raw: hexBytes(previous.value), json: record.value });
    }
    if (record.kind === 'raw' || record.kind === 'cmd' || record.kind === 'json') previous = record;
  }
  return out;
}

export function hexBytes(text: string): Uint8Array {
  const hex = text.replace(/[:\s]/g, '');
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0'))
    .join('')
    .toUpperCase();
}

/**
 * The address families an UPDATE carries, read straight from its bytes (independently of the codec under
 * test): `1/1` for the withdrawn routes and NLRI fields, the AFI/SAFI of MP_REACH_NLRI and MP_UNREACH_NLRI.
 * An empty UPDATE is the IPv4 unicast End-of-RIB. Undefined when the message is not a well-formed UPDATE.
 */
export function updateFamilies(message: Uint8Array): Set<FamilyKey> | undefined {
  if (message.length < 23 || message[18] !== 2) return undefined;
  const families = new Set<FamilyKey>();
  const u16 = (at: number) => ((message[at] ?? 0) << 8) | (message[at + 1] ?? 0);
  const withdrawnLength = u16(19);
  let at = 21 + withdrawnLength;
  if (at + 2 > message.length) return undefined;
  const attributesLength = u16(at);
  at += 2;
  const end = at + attributesLength;
  if (end > message.length) return undefined;
  if (withdrawnLength > 0 || end < message.length) families.add(familyKey(1, 1));
  while (at < end) {
    const flags = message[at] ?? 0;
    const code = message[at + 1] ?? 0;
    const extended = (flags & 0x10) !== 0;
    const length = extended ? u16(at + 2) : (message[at + 2] ?? 0);
    const value = at + (extended ? 4 : 3);
    if (code === 14 || code === 15) families.add(familyKey(u16(value), message[value + 2] ?? 0));
    at = value + length;
  }
  if (families.size === 0 && attributesLength === 0) families.add(familyKey(1, 1));
  return families;
}

/** The type codes of the path attributes of an UPDATE, or undefined when it is not a well-formed UPDATE. */
export function updateAttributeCodes(message: Uint8Array): Set<number> | undefined {
  if (message.length < 23 || message[18] !== 2) return undefined;
  const codes = new Set<number>();
  const u16 = (at: number) => ((message[at] ?? 0) << 8) | (message[at + 1] ?? 0);
  let at = 21 + u16(19);
  if (at + 2 > message.length) return undefined;
  const end = at + 2 + u16(at);
  at += 2;
  while (at < end) {
    const flags = message[at] ?? 0;
    codes.add(message[at + 1] ?? 0);
    const extended = (flags & 0x10) !== 0;
    at += (extended ? 4 : 3) + (extended ? u16(at + 2) : (message[at + 2] ?? 0));
  }
  return codes;
}

/**
 * Attributes ExaBGP has a class for, and prints by it, that the codec keeps raw (it prints them as ExaBGP's
 * generic attribute): PMSI tunnel (22), tunnel encapsulation (23), IPv6 address specific extended
 * communities (25), BGP-LS (29), BGP Prefix-SID (40). Their JSON lines wait for those attributes.
 */
export const ATTRIBUTES_KEPT_RAW: ReadonlyMap<number, string> = new Map([
  [22, 'PMSI tunnel'],
  [23, 'tunnel encapsulation'],
  [25, 'IPv6 extended communities'],
  [29, 'BGP-LS'],
  [40, 'BGP Prefix-SID'],
]);

/** What the speaker of a configuration advertises, so what the checker's echoed OPEN negotiates. */
export interface SpeakerCapabilities {
  readonly asn4: boolean;
  /** Families with ADD-PATH in both directions (the echo advertises send/receive back). */
  readonly addPath: ReadonlySet<FamilyKey>;
  /** Families of the `nexthop { }` block (RFC 8950). */
  readonly extendedNextHop: ReadonlySet<FamilyKey>;
}

/** ExaBGP's Capabilities._ADD_PATH: the families ADD-PATH may be advertised for, from the codec's table. */
const ADD_PATH_FAMILIES = familyRows()
  .filter((row) => row.exabgp.addPathOrder !== undefined)
  .map((row) => row.key);

function familyOf(afi: string, safi: string): FamilyKey | undefined {
  return familyRowByName(`${afi} ${safi}`)?.key;
}

/** The body of the first `name { ... }` block in `text` (braces balanced), or undefined. */
function block(text: string, name: string): string | undefined {
  const match = new RegExp(`(^|[\\s{;])${name}\\s*\\{`).exec(text);
  if (!match) return undefined;
  let depth = 1;
  const start = match.index + match[0].length;
  for (let i = start; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return text.slice(start, i);
  }
  return undefined;
}

/**
 * A deliberately small reader of the first neighbor of an ExaBGP configuration: `capability { asn4 ...;
 * add-path ...; }`, `family { }`, `add-path { }` and `nexthop { }`. The full parser is exabgp-config-parser's.
 */
export function readSpeakerCapabilities(configName: string): SpeakerCapabilities {
  const text = readFileSync(join(QA_DIR, 'etc/exabgp', configName), 'utf8').replace(/#[^\n]*/g, '');
  const capability = block(text, 'capability') ?? '';
  const asn4 = !/\basn4\s+disable/.test(capability);
  const addPathMode = /\badd-path\s+([a-z/]+)/.exec(capability)?.[1];
  const families = new Set<FamilyKey>();
  const familyBlock = block(text, 'family');
  if (familyBlock) {
    for (const [, afi, safi] of familyBlock.matchAll(/([a-z0-9-]+)\s+([a-z0-9-]+)\s*;/g)) {
      const family = familyOf(afi ?? '', safi ?? '');
      if (family) families.add(family);
    }
  } else {
    for (const family of ADD_PATH_FAMILIES) families.add(family);
  }
  const addPath = new Set<FamilyKey>();
  if (addPathMode === 'send/receive') {
    const addPathBlock = block(text, 'add-path');
    const wanted = new Set<FamilyKey>();
    if (addPathBlock) {
      for (const [, afi, safi] of addPathBlock.matchAll(/([a-z0-9-]+)\s+([a-z0-9-]+)[^;]*;/g)) {
        const family = familyOf(afi ?? '', safi ?? '');
        if (family) wanted.add(family);
      }
    }
    for (const family of ADD_PATH_FAMILIES) {
      if (families.has(family) && (wanted.size === 0 || wanted.has(family))) addPath.add(family);
    }
  }
  const extendedNextHop = new Set<FamilyKey>();
  const nexthopBlock = block(text, 'nexthop');
  if (nexthopBlock) {
    for (const [, afi, safi, nhAfi] of nexthopBlock.matchAll(/([a-z0-9-]+)\s+([a-z0-9-]+)\s+([a-z0-9-]+)\s*;/g)) {
      const family = familyOf(afi ?? '', safi ?? '');
      if (family !== undefined && nhAfi !== afi) extendedNextHop.add(family);
    }
  }
  return { asn4, addPath, extendedNextHop };
}

/** The decoding tests: three lines each, the kind (`open` | `update AFI SAFI` | `nlri AFI SAFI`), hex, JSON. */
export function readDecodingTest(name: string): { kind: string; hex: string; json: string } {
  const [kind = '', hex = '', json = ''] = readFileSync(join(QA_DIR, 'qa/decoding', name), 'utf8').split('\n');
  return { kind: kind.trim(), hex: hex.trim(), json: json.trim() };
}

/**
 * JSON as text that can be compared exactly: parsed keeping every number's digits (extended communities
 * exceed 2^53), key order and duplicate keys; then printed compactly without the given keys at any depth.
 * Throws SyntaxError on malformed JSON.
 */
export function canonicalJson(text: string, dropKeys: ReadonlySet<string> = new Set(), topLevelOnly = false): string {
  let at = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at offset ${at}: ${text.slice(Math.max(0, at - 20), at + 20)}`);
  };
  const space = () => {
    while (at < text.length && ' \t\r\n'.includes(text[at] as string)) at++;
  };
  const string = (): string => {
    const start = at;
    at++;
    while (at < text.length && text[at] !== '"') at += text[at] === '\\' ? 2 : 1;
    if (text[at] !== '"') fail('unterminated string');
    at++;
    // Normalise escapes so "\u00e9" and "é" compare equal only if they are the same character.
    return JSON.stringify(JSON.parse(text.slice(start, at)) as string);
  };
  const value = (depth: number): string => {
    space();
    const c = text[at];
    if (c === '{') {
      at++;
      const members: string[] = [];
      space();
      if (text[at] === '}') {
        at++;
        return '{}';
      }
      for (;;) {
        space();
        if (text[at] !== '"') fail('expected a key');
        const key = string();
        space();
        if (text[at] !== ':') fail('expected :');
        at++;
        const v = value(depth + 1);
        const drop = dropKeys.has(JSON.parse(key) as string) && (!topLevelOnly || depth === 0);
        if (!drop) members.push(`${key}:${v}`);
        space();
        if (text[at] === ',') {
          at++;
          continue;
        }
        if (text[at] === '}') {
          at++;
          return `{${members.join(',')}}`;
        }
        fail('expected , or }');
      }
    }
    if (c === '[') {
      at++;
      const items: string[] = [];
      space();
      if (text[at] === ']') {
        at++;
        return '[]';
      }
      for (;;) {
        items.push(value(depth + 1));
        space();
        if (text[at] === ',') {
          at++;
          continue;
        }
        if (text[at] === ']') {
          at++;
          return `[${items.join(',')}]`;
        }
        fail('expected , or ]');
      }
    }
    if (c === '"') return string();
    const literal = /^(true|false|null|-?\d+(\.\d+)?([eE][+-]?\d+)?)/.exec(text.slice(at, at + 40));
    if (!literal) return fail('unexpected character');
    at += literal[0].length;
    return literal[0];
  };
  const out = value(0);
  space();
  if (at !== text.length) fail('trailing characters');
  return out;
}

/** The text with the whitespace between JSON tokens removed (strings untouched). */
export function withoutInsignificantWhitespace(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (!' \t\r\n'.includes(c)) {
      out += c;
    }
  }
  return out;
}
