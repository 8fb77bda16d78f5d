import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFile } from '../parse-file.js';
import { locateCorpus } from './corpus.js';
import { runEncodingTest } from './encoding.js';
import { countResults, formatReport, runJsonChecks } from './runner.js';

const corpus = locateCorpus();
if (corpus.problem) console.log(`ExaBGP conformance corpus tests skipped: ${corpus.problem}`);

/** The encoding tests whose families are IPv4/IPv6 unicast (issue 3 acceptance). */
const UNICAST_ENCODING_TESTS = [
  'conf-unknowncap',
  'conf-name',
  'conf-ipself4',
  'conf-ipself6',
  'conf-no-asn4',
  'conf-ebgp',
  'conf-ipv46routes4family',
  'conf-ipv46routes6family',
  'conf-ipv6grouping',
  'conf-new-v6',
  'conf-largecommunity',
  'conf-attributes',
  'conf-template',
  'conf-group',
  'conf-new-v4',
  'conf-group-limit',
  'conf-aggregator',
  'conf-generic-attribute',
  'conf-split',
  'conf-extended-attributes',
  'conf-hostname',
  'conf-cap-software-version',
  'conf-cap-link-local-nexthop',
  'unknown-message',
];

/**
 * The API tests whose UPDATEs are all IPv4/IPv6 unicast. The others (api-flow*, api-mvpn, api-vpls, api-vpnv4,
 * api-attributes-vpn, and api-ipv4/api-ipv6, which carry MUP routes) need families the codec does not decode yet.
 */
const UNICAST_API_TESTS = [
  'api-ack-control',
  'api-add-remove',
  'api-announce',
  'api-announce-processes-match',
  'api-announce-star',
  'api-announcement',
  'api-api',
  'api-attributes-path',
  'api-fast',
  'api-health',
  'api-healthcheck-withdraw',
  'api-multi-neighbor',
  'api-multiple-api',
  'api-multisession',
  'api-nexthop',
  'api-nexthop-self',
  'api-no-respawn',
  'api-open',
  'api-peer-lifecycle',
  'api-rib',
  'api-rr',
  'api-rr-rib',
  'api-silence-ack',
];

describe.skipIf(corpus.problem !== undefined)(
  `ExaBGP encoding tests for IPv4/IPv6 unicast (corpus ${corpus.problem ? 'absent: skipped' : corpus.dir})`,
  () => {
    const root = corpus.dir;
    for (const name of UNICAST_ENCODING_TESTS) {
      it(`${name}: our speaker sends what ExaBGP's checker expects`, () => {
        const result = runEncodingTest(join(root, 'qa', 'encoding', `${name}.ci`), root, parseFile);
        expect(result.status, [result.reason, ...(result.detail ?? [])].join('\n')).toBe('pass');
      });
    }

    it('the json: lines of those tests match the codec ExaBGP JSON for the preceding UPDATE', () => {
      const results = UNICAST_ENCODING_TESTS.flatMap((name) =>
        runJsonChecks(join(root, 'qa', 'encoding', `${name}.ci`), root, parseFile),
      );
      expect(results.length).toBeGreaterThan(20);
      const failed = results.filter((r) => r.status !== 'pass').map((r) => `${r.name}: ${r.reason}`);
      expect(failed).toEqual([]);
    });

    it('the json: lines of the IPv4/IPv6 unicast API tests match the codec ExaBGP JSON', () => {
      const results = UNICAST_API_TESTS.flatMap((name) =>
        runJsonChecks(join(root, 'qa', 'api', `${name}.ci`), root, parseFile),
      );
      expect(results.length).toBeGreaterThan(60);
      const failed = results.filter((r) => r.status !== 'pass').map((r) => `${r.name}: ${r.reason}`);
      expect(failed).toEqual([]);
    });

    it('a test of a family the wire layer does not build fails with "family X not supported", never passes', () => {
      const result = runEncodingTest(join(root, 'qa', 'encoding', 'conf-flow.ci'), root, parseFile);
      expect(result.status).toBe('fail');
      expect(result.reason).toMatch(/^family .*flow.* not supported$/);
    });
  },
);

describe('the report', () => {
  it('ends with the summary line; excluded tests are listed and not counted', () => {
    const results = [
      { suite: 'encoding', name: 'a', status: 'pass', reason: 'ok' },
      { suite: 'encoding', name: 'b', status: 'fail', reason: 'family ipv4 flow not supported' },
      { suite: 'decoding', name: 'c', status: 'fail', reason: 'x', excluded: true },
      { suite: 'decoding', name: 'd', status: 'pass', reason: 'ok' },
      { suite: 'parsing', name: 'e.conf', status: 'pass', reason: 'ok' },
    ] as const;
    const report = { corpus: '/c', results: [...results], counts: countResults(results) };
    const lines = formatReport(report);
    expect(lines.at(-1)).toBe('conformance: encoding 1/2, decoding 1/1, parsing 1/1');
    expect(lines).toContain('FAIL encoding b: family ipv4 flow not supported');
    expect(lines.some((l) => l.startsWith('not counted: c'))).toBe(true);
  });
});
