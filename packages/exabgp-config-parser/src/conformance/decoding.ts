import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { BgpError, decodeMessage, type ExabgpNeighbor, exabgpJson, familyRowByName, makeContext } from 'bgp-codec';
import { dropTopLevel, firstDifference, type Json, jsonEqual } from './json.js';
import { fail, pass, type TestResult } from './result.js';

/** The decoding tests that fail with ExaBGP 6.0.0 itself (a `nexthop` key inside each BGP-LS route). */
export const EXABGP_KNOWN_DECODING_FAILURES: readonly string[] = ['bgp-ls-7', 'bgp-ls-8', 'bgp-ls-9'];

/** The session `exabgp decode` pretends the message came from. */
export const DECODE_NEIGHBOR: ExabgpNeighbor = Object.freeze({
  localAddress: '127.0.0.1',
  peerAddress: '127.0.0.1',
  localAs: 65533,
  peerAs: 65533,
  routerId: '127.0.0.1',
});

/** The keys qa/bin/functional drops before comparing (DecodingTests._cleanup). */
const VOLATILE = ['exabgp', 'host', 'pid', 'ppid', 'time', 'version'];

export interface DecodingCase {
  name: string;
  /** `open`, `update` or `nlri` */
  kind: string;
  /** `ipv4 unicast` when given */
  family: string;
  hex: string;
  expected: string;
}

/** Read a `qa/decoding/*` file: `KIND [AFI SAFI]`, the hex, the expected JSON. */
export function readDecodingCase(path: string): DecodingCase {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  const words = (lines[0] ?? '').trim().split(/\s+/);
  return {
    name: basename(path).split('.')[0] ?? basename(path),
    kind: words[0] ?? '',
    family: words.length >= 3 ? `${words[1]} ${words[2]}` : '',
    hex: (lines[1] ?? '').replace(/[\s:]/g, ''),
    expected: (lines[2] ?? '').trim(),
  };
}

function hexBytes(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new RangeError('the message is not hexadecimal');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** The test's family (`ipv4 flow`) when the codec has no NLRI codec for it. */
function missingFamily(family: string): string | undefined {
  const row = familyRowByName(family);
  if (row === undefined) return undefined;
  return row.codec === undefined ? family : undefined;
}

/**
 * `exabgp decode` takes a message without its header as the body of the message type asked for
 * (configuration/check.py `_make_update`): the header is added here so the codec reads it as a whole message.
 */
function withHeader(kind: string, message: Uint8Array): Uint8Array {
  if (message.length >= 16 && message.subarray(0, 16).every((b) => b === 0xff)) return message;
  const type = kind === 'open' ? 1 : 2;
  const out = new Uint8Array(19 + message.length);
  out.fill(0xff, 0, 16);
  out[16] = (out.length >> 8) & 0xff;
  out[17] = out.length & 0xff;
  out[18] = type;
  out.set(message, 19);
  return out;
}

/**
 * One decoding test: the message through the codec's decoder and its ExaBGP JSON, compared with the expected
 * JSON as ExaBGP's harness compares (top-level `exabgp`, `host`, `pid`, `ppid`, `time`, `version` dropped).
 */
export function runDecodingTest(path: string): TestResult {
  const test = readDecodingCase(path);
  const result = decodeAndCompare(test);
  if (EXABGP_KNOWN_DECODING_FAILURES.includes(test.name)) result.excluded = true;
  return result;
}

function decodeAndCompare(test: DecodingCase): TestResult {
  if (test.kind === 'nlri') {
    return fail('decoding', test.name, `decoding a lone NLRI (${test.family}) is not supported`);
  }
  let expected: Json;
  try {
    expected = dropTopLevel(JSON.parse(test.expected) as Json, VOLATILE);
  } catch {
    return fail('decoding', test.name, 'the expected JSON does not parse');
  }
  let text: string;
  try {
    const message = decodeMessage(
      withHeader(test.kind, hexBytes(test.hex)),
      makeContext({ asn4: true, extendedMessage: true }),
    );
    text = exabgpJson(message, {
      neighbor: DECODE_NEIGHBOR,
      direction: 'in',
      counter: 1,
      time: 0,
      host: 'localhost',
      pid: 0,
      ppid: 0,
    });
  } catch (error) {
    const what = error instanceof BgpError ? `BgpError ${error.code}/${error.subcode}` : 'error';
    return fail('decoding', test.name, `${what}: ${error instanceof Error ? error.message : String(error)}`);
  }
  let actual: Json;
  try {
    actual = dropTopLevel(JSON.parse(text) as Json, VOLATILE);
  } catch {
    return fail('decoding', test.name, 'the codec printed JSON that does not parse', [`ours: ${text}`]);
  }
  if (jsonEqual(expected, actual)) return pass('decoding', test.name, `${test.kind} ${test.family}`.trim());
  const missing = missingFamily(test.family);
  const why = missing ? `family ${missing} not supported by the codec; ` : '';
  return fail('decoding', test.name, `${why}JSON differs: ${firstDifference(expected, actual)}`, [
    `expected: ${JSON.stringify(expected)}`,
    `ours:     ${JSON.stringify(actual)}`,
  ]);
}
