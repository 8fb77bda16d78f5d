/**
 * ExaBGP's decoding corpus (qa/decoding): one message in hex and the exact JSON `exabgp decode` prints for
 * it. The codec decodes the message and the ExaBGP JSON renderer must print the same line: same keys in the
 * same order, same numbers, same strings, compared as text with only the whitespace between tokens ignored
 * (the corpus was recorded with an older ExaBGP that spaced the neighbor block differently).
 * `exabgp decode` runs with a minimal configuration: 4-octet AS, every family, no ADD-PATH.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ASN4_CONTEXT } from '../src/context.js';
import { exabgpJson } from '../src/json/exabgp.js';
import { decodeMessage } from '../src/message.js';
import {
  canonicalJson,
  hexBytes,
  QA_ABSENT_REASON,
  QA_DIR,
  QA_PRESENT,
  readDecodingTest,
  withoutInsignificantWhitespace,
} from './corpus-qa.js';

/** The families the codec has NLRI for; the other decoding tests are listed as skipped. */
const IN_SCOPE = /^(open|update ipv[46] (unicast|multicast))$/;
/** The tests the issue names: they must pass. */
const REQUIRED = ['ipv4-unicast-1', 'ipv4-unicast-2', 'bgp-open-sofware-version'];
const DROPPED = new Set(['exabgp', 'host', 'pid', 'ppid', 'time', 'version']);

if (!QA_PRESENT) console.warn(`corpus-decoding: skipped, ${QA_ABSENT_REASON}`);

describe.skipIf(!QA_PRESENT)(`ExaBGP decoding corpus (${QA_PRESENT ? QA_DIR : QA_ABSENT_REASON})`, () => {
  const names = QA_PRESENT ? readdirSync(join(QA_DIR, 'qa/decoding')).sort() : [];
  const tests = names.map((name) => ({ name, ...readDecodingTest(name) }));

  it('holds the three tests the codec must pass', () => {
    for (const name of REQUIRED) expect(names).toContain(name);
  });

  for (const test of tests) {
    const inScope = IN_SCOPE.test(test.kind);
    it.skipIf(!inScope)(`${test.name} (${test.kind})${inScope ? '' : ': family not implemented by the codec'}`, () => {
      const expected = JSON.parse(test.json) as {
        time: number;
        host: string;
        pid: number;
        ppid: number;
        exabgp: string;
      };
      const message = decodeMessage(hexBytes(test.hex), ASN4_CONTEXT);
      // The fields that change from run to run are taken from the expected line, so the whole text compares.
      const printed = exabgpJson(message, {
        neighbor: {
          localAddress: '127.0.0.1',
          peerAddress: '127.0.0.1',
          localAs: 65533,
          peerAs: 65533,
          routerId: '127.0.0.1',
        },
        direction: 'in',
        counter: 1,
        time: expected.time,
        host: expected.host,
        pid: expected.pid,
        ppid: expected.ppid,
        version: expected.exabgp,
      });
      expect(canonicalJson(printed, DROPPED, true)).toBe(canonicalJson(test.json, DROPPED, true));
      expect(withoutInsignificantWhitespace(printed)).toBe(withoutInsignificantWhitespace(test.json));
    });
  }
});
