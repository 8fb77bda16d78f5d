import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseFile } from '../parse-file.js';
import { locateCorpus } from './corpus.js';
import { formatReport, runConformance } from './runner.js';

/**
 * The runner on a folder laid out like ExaBGP's repository but holding the project's own data: one of the
 * wire fixtures as configuration, an encoding test written for it, a decoding vector. It must work on any
 * such folder, not only the shared corpus.
 */
const FIXTURES = fileURLToPath(new URL('../../../../fixtures/configs/wire/', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'conformance-corpus-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const MARKER = 'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF';
// split-self.conf: the /24 split into four /26, next-hop self (192.0.2.1), iBGP 64512
const UPDATE = `${MARKER}:0040:02:0000001540010100400200400304C000020140050400000064:1ACB007100:1ACB007140:1ACB007180:1ACB0071C0`;
const EOR = `${MARKER}:0017:02:00000000`;
const OPEN = `${MARKER}:0031:01:04FC0000B4C000020114020601040001000102064104 0000FC0002020600`.replace(/ /g, '');

mkdirSync(join(root, 'etc', 'exabgp'), { recursive: true });
mkdirSync(join(root, 'qa', 'encoding'), { recursive: true });
mkdirSync(join(root, 'qa', 'decoding'), { recursive: true });
copyFileSync(join(FIXTURES, 'split-self.conf'), join(root, 'etc', 'exabgp', 'split-self.conf'));
writeFileSync(join(root, 'etc', 'exabgp', 'broken.conf'), 'neighbor 127.0.0.1 {\n\tlocal-as nope;\n}\n');
writeFileSync(
  join(root, 'qa', 'encoding', 'split-self.ci'),
  ['option:file:split-self.conf', `1:raw:${EOR}`, `1:raw:${UPDATE}`].join('\n'),
);
writeFileSync(
  join(root, 'qa', 'encoding', 'split-self-open.ci'),
  ['option:file:split-self.conf', 'option:open:inspect-open-message', `1:raw:${OPEN}`].join('\n'),
);
// the End-of-RIB arrives before the UPDATE would: not listed first, so the checker must refuse the order
writeFileSync(
  join(root, 'qa', 'encoding', 'split-self-order.ci'),
  ['option:file:split-self.conf', `1:raw:${EOR}`, `2:raw:${UPDATE}`].join('\n'),
);
writeFileSync(
  join(root, 'qa', 'decoding', 'eor-ipv4-unicast'),
  [
    'update ipv4 unicast',
    `${MARKER}001702 00000000`,
    '{ "exabgp": "6.0.0", "time": 1, "host": "h", "pid": 1, "ppid": 1, "counter": 1, "type": "update", "neighbor": { "address": { "local": "127.0.0.1", "peer": "127.0.0.1" }, "asn": { "local": 65533, "peer": 65533 }, "router-id": "127.0.0.1", "direction": "in", "message": { "eor": { "afi": "ipv4", "safi": "unicast" } } } }',
  ].join('\n'),
);

describe('the conformance runner on any folder laid out like the corpus', () => {
  const report = runConformance(root, parseFile);
  const byName = new Map(report.results.map((r) => [`${r.suite} ${r.name}`, r]));

  it('locates a folder given explicitly', () => {
    expect(locateCorpus(root).problem).toBeUndefined();
    expect(locateCorpus(join(root, 'missing')).problem).toMatch(/not found/);
  });

  it('parsing: a good configuration passes, a bad one fails with the parser error', () => {
    expect(byName.get('parsing split-self.conf')?.status).toBe('pass');
    const broken = byName.get('parsing broken.conf');
    expect(broken?.status).toBe('fail');
    expect(broken?.reason).toMatch(/broken\.conf:2/);
  });

  it('encoding: the messages of split-self.conf match, the OPEN too when inspected', () => {
    expect(byName.get('encoding split-self')).toMatchObject({ status: 'pass' });
    expect(byName.get('encoding split-self-open')).toMatchObject({ status: 'pass' });
  });

  it('encoding: groups consumed in order - an UPDATE before the End-of-RIB group is a failure, shown side by side', () => {
    const result = byName.get('encoding split-self-order');
    expect(result?.status).toBe('fail');
    expect(result?.detail?.some((line) => line.startsWith('expected:'))).toBe(true);
    expect(result?.detail?.some((line) => line.startsWith('ours:'))).toBe(true);
  });

  it('counts and the last line', () => {
    expect(report.counts.parsing).toEqual({ passed: 1, total: 2 });
    expect(report.counts.encoding).toEqual({ passed: 2, total: 3 });
    expect(report.counts.decoding.total).toBe(1);
    const last = formatReport(report).at(-1);
    expect(last).toBe(`conformance: encoding 2/3, decoding ${report.counts.decoding.passed}/1, parsing 1/2`);
  });
});
