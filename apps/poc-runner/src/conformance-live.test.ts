import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { locateCorpus } from 'exabgp-config-parser';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { parseConformanceArguments, runConformanceCommand } from './conformance-command.js';
import { LIVE_MODES, type LiveResult, runLiveConformance } from './conformance-live.js';

/**
 * `conformance --live`: each encoding test over loopback TCP, our speaker driven by each mode, a checking
 * peer applying ExaBGP's checker rules. First on a folder laid out like ExaBGP's repository holding the
 * project's own configurations and expectations (so it runs without the shared corpus), then on a handful of
 * the shared corpus's tests when it is present.
 */

const MARKER = 'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF';
const root = mkdtempSync(join(tmpdir(), 'conformance-live-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
mkdirSync(join(root, 'etc', 'exabgp'), { recursive: true });
mkdirSync(join(root, 'qa', 'encoding'), { recursive: true });

function neighbor(address: string, body: string): string {
  return `neighbor ${address} {\n\trouter-id 192.0.2.1;\n\tlocal-address ${address};\n${body}\n}\n`;
}
function test(name: string, config: string, lines: string[]): void {
  writeFileSync(join(root, 'etc', 'exabgp', `${name}.conf`), config);
  writeFileSync(join(root, 'qa', 'encoding', `${name}.ci`), [`option:file:${name}.conf`, ...lines].join('\n'));
}

// iBGP 64512 on 127.0.0.1: the /24 split into four /26 with next-hop self (127.0.0.1), in one UPDATE
// (RFC 4271 §4.3: ORIGIN igp, empty AS_PATH, NEXT_HOP, LOCAL_PREF 100; 21 octets of attributes).
const SPLIT = neighbor(
  '127.0.0.1',
  '\tlocal-as 64512;\n\tpeer-as 64512;\n\tfamily { ipv4 unicast; }\n\tstatic { route 203.0.113.0/24 next-hop self split /26; }',
);
const UPDATE4 = `${MARKER}:0040:02:0000:0015:40010100:400200:4003047F000001:40050400000064:1ACB007100:1ACB007140:1ACB007180:1ACB0071C0`;
const EOR4 = `${MARKER}:0017:02:00000000`;
// OPEN: AS 64512 (FC00), hold 180 (00B4), id 192.0.2.1; MP ipv4/unicast, 4-octet AS 64512, Extended Message
const OPEN4 = `${MARKER}:0031:01:04FC0000B4C000020114:0206010400010001:020641040000FC00:02020600`;
test('own-split', SPLIT, [`1:raw:${UPDATE4}`, `1:raw:${EOR4}`]);
test('own-split-open', SPLIT, ['option:open:inspect-open-message', `1:raw:${OPEN4}`, `2:raw:${UPDATE4}`]);
// groups are consumed in order: the End-of-RIB group first cannot match the UPDATE that comes first
test('own-split-order', SPLIT, [`1:raw:${EOR4}`, `2:raw:${UPDATE4}`]);

// IPv6 on [::1] (option:bind:ipv6): the route in MP_REACH_NLRI (RFC 4760 §3) with the session's address as
// next hop, then the IPv6 End-of-RIB (RFC 4724 §2: MP_UNREACH_NLRI with AFI/SAFI only).
const SELF6 = neighbor(
  '::1',
  '\tlocal-as 64512;\n\tpeer-as 64512;\n\tfamily { ipv6 unicast; }\n\tstatic { route 2001:db8:1::/48 next-hop self; }',
);
const UPDATE6 = `${MARKER}:0044:02:0000002D:40010100:400200:40050400000064:800E1C00020110${'00'.repeat(15)}01:00:3020010DB80001`;
const EOR6 = `${MARKER}:001E:02:00000007900F0003000201`;
const OPEN6 = `${MARKER}:0031:01:04FC0000B4C000020114:0206010400020001:020641040000FC00:02020600`;
test('own-self6', SELF6, [
  'option:bind:ipv6',
  'option:open:inspect-open-message',
  `1:raw:${OPEN6}`,
  `2:raw:${UPDATE6}`,
  `2:raw:${EOR6}`,
]);

// asn4 disable (eBGP 64512 -> 64513, the checker answers with AS 64513): no 4-octet AS capability in the OPEN
// (12 octets of parameters) and a 2-octet AS_PATH [64512] (RFC 6793 §4.2.2: a session without it).
const NO_ASN4 = neighbor(
  '127.0.0.1',
  '\tlocal-as 64512;\n\tpeer-as 64513;\n\tcapability { asn4 disable; }\n\tfamily { ipv4 unicast; }\n\tstatic { route 198.51.100.0/24 next-hop 127.0.0.1; }',
);
const OPEN_NO_ASN4 = `${MARKER}:0029:01:04FC0000B4C00002010C:0206010400010001:02020600`;
const UPDATE_AS2 = `${MARKER}:002D:02:0000:0012:40010100:4002040201FC00:4003047F000001:18C63364`;
test('own-no-asn4', NO_ASN4, [
  'option:asn:64513',
  'option:open:inspect-open-message',
  `1:raw:${OPEN_NO_ASN4}`,
  `2:raw:${UPDATE_AS2}`,
  `2:raw:${EOR4}`,
]);

// a message of type 255 after the checker's OPEN and KEEPALIVE: ExaBGP's NOTIFICATION 1/0 with its text
// (before any UPDATE or End-of-RIB: the message is read before the first send)
const QUIET = neighbor('127.0.0.1', '\tlocal-as 64512;\n\tpeer-as 64512;\n\tfamily { ipv4 unicast; }');
const TEXT = Buffer.from('can not decode update message of type "255"').toString('hex').toUpperCase();
test('own-unknown-message', QUIET, ['option:open:send-unknown-message', `1:raw:${MARKER}:0040:03:0100${TEXT}`]);

// manual-eor and no routes: the speaker sends nothing after its KEEPALIVE, so the expectation times out
const SILENT = neighbor(
  '127.0.0.1',
  '\tlocal-as 64512;\n\tpeer-as 64512;\n\tmanual-eor true;\n\tfamily { ipv4 unicast; }',
);
test('own-timeout', SILENT, ['option:timeout:1', `1:raw:${EOR4}`]);

const PASSING = ['own-split', 'own-split-open', 'own-self6', 'own-no-asn4', 'own-unknown-message'];
/** Generous on a loaded machine: only a failing test waits this long. */
const MESSAGE_TIMEOUT_MS = 15_000;

function byName(results: readonly LiveResult[]): Map<string, LiveResult> {
  return new Map(results.map((r) => [r.name, r]));
}
function explain(result: LiveResult | undefined): string {
  return result ? [result.reason, ...(result.detail ?? [])].join('\n') : 'no result';
}

/** TCP handles (sockets, listening sockets) of this process; closing takes a turn or two of the loop. */
async function tcpHandlesSettled(): Promise<string[]> {
  const tcp = () => process.getActiveResourcesInfo().filter((r) => r.startsWith('TCP'));
  for (let i = 0; i < 50 && tcp().length > 0; i++) await new Promise((r) => setTimeout(r, 40));
  return tcp();
}

describe.each(LIVE_MODES)('live mode %s on the project’s own tests', (mode) => {
  it('the expected messages arrive over TCP: UPDATEs, End-of-RIBs, the OPEN, asn4 disable, the unknown message', async () => {
    const results = await runLiveConformance({
      corpus: root,
      mode,
      tests: [...PASSING, 'own-split-order'],
      messageTimeoutMs: MESSAGE_TIMEOUT_MS,
      timeoutMs: 60_000,
    });
    const found = byName(results);
    for (const name of PASSING) expect(found.get(name)?.status, `${name}: ${explain(found.get(name))}`).toBe('pass');
    expect(found.get('own-split')?.reason).toBe('2 message(s) matched');
    expect(found.get('own-self6')?.reason).toBe('3 message(s) matched');
    const order = found.get('own-split-order');
    expect(order?.status).toBe('fail');
    expect(order?.reason).toBe('message 1: message not expected here');
    expect(order?.detail?.some((line) => line.startsWith('ours:'))).toBe(true);
    for (const result of results) expect(result).toMatchObject({ mode, suite: 'encoding' });
    expect(await tcpHandlesSettled()).toEqual([]);
  }, 120_000);

  it('no message for the test’s timeout fails the test', async () => {
    const [result] = await runLiveConformance({ corpus: root, mode, tests: ['own-timeout'] });
    expect(result?.status).toBe('fail');
    expect(result?.reason).toMatch(/^no (message|OPEN) for 1s: 1 expectation\(s\) not matched/);
    expect(await tcpHandlesSettled()).toEqual([]);
  }, 60_000);

  it('a test is bounded by its deadline whatever the checker waits for', async () => {
    const [result] = await runLiveConformance({
      corpus: root,
      mode,
      tests: ['own-timeout'],
      messageTimeoutMs: 600_000,
      timeoutMs: 1500,
    });
    expect(result).toMatchObject({ status: 'fail', reason: "no verdict within the test's deadline of 1500 ms" });
    expect(await tcpHandlesSettled()).toEqual([]);
  }, 60_000);
});

describe('the conformance command with --live', () => {
  it('parses the modes: all by default, a list, or one', () => {
    expect(parseConformanceArguments(['--live'])).toEqual({ live: ['sync', 'async', 'bridge'] });
    expect(parseConformanceArguments(['--live', '--corpus', 'x'])).toEqual({
      live: ['sync', 'async', 'bridge'],
      corpus: 'x',
    });
    expect(parseConformanceArguments(['--live', 'bridge'])).toEqual({ live: ['bridge'] });
    expect(parseConformanceArguments(['--live=async,sync'])).toEqual({ live: ['async', 'sync'] });
    expect(parseConformanceArguments(['--live', 'fast'])).toMatch(/^--live: unknown mode fast/);
  });

  it('prints one line per test and the mode summary, and the offline summary stays the last line', async () => {
    const printed: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed.push(...String(chunk).split('\n').filter(Boolean));
      return true;
    });
    let code: number;
    try {
      code = await runConformanceCommand(['--corpus', root, '--live', 'sync']);
    } finally {
      write.mockRestore();
    }
    expect(code).toBe(0);
    expect(printed.at(-1)).toMatch(/^conformance: encoding \d+\/7, decoding 0\/0, parsing 7\/7$/);
    expect(printed.at(-2)).toMatch(/^conformance live sync: encoding \d+\/7$/);
    expect(printed.filter((l) => /^(PASS|FAIL) live sync /.test(l))).toHaveLength(7);
  }, 120_000);
});

const corpus = locateCorpus();
if (corpus.problem) console.log(`live conformance on the ExaBGP corpus skipped: ${corpus.problem}`);

/** A handful of the corpus's acceptance tests: IPv4, IPv6 bind, unknown capability, unknown message, grouping. */
const CORPUS_TESTS = [
  'conf-ipself4',
  'conf-ipself6',
  'conf-unknowncap',
  'unknown-message',
  'conf-group-limit',
  'conf-no-asn4',
];

describe.skipIf(corpus.problem !== undefined)(
  `live mode on ExaBGP's corpus (${corpus.problem ? 'absent: skipped' : corpus.dir})`,
  () => {
    it.each(LIVE_MODES)(
      '%s: the acceptance tests pass over TCP; an unsupported family fails with its reason',
      async (mode) => {
        const results = await runLiveConformance({
          corpus: corpus.dir,
          mode,
          tests: [...CORPUS_TESTS, 'conf-flow'],
          messageTimeoutMs: MESSAGE_TIMEOUT_MS,
          timeoutMs: 60_000,
        });
        const found = byName(results);
        for (const name of CORPUS_TESTS)
          expect(found.get(name)?.status, `${name}: ${explain(found.get(name))}`).toBe('pass');
        expect(found.get('conf-flow')).toMatchObject({
          status: 'fail',
          reason: expect.stringMatching(/^family .*flow.* not supported$/),
        });
      },
      120_000,
    );
  },
);
