/**
 * `bgp-codec decode` (src/cli/decode.ts): its options, its input forms, the BgpError report of a malformed
 * message with the exact NOTIFICATION (the project's malformed UPDATE vectors), the real command's exit
 * status and standard input, and ExaBGP's decoding corpus run with the arguments ExaBGP's own harness gives
 * `exabgp decode` (qa/bin/functional DecodingTests), compared as that harness compares.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DECODE_NEIGHBOR, type DecodeIo, decodeContext, parseDecodeArguments, runDecode } from '../src/cli/decode.js';
import {
  ASN4_CONTEXT,
  decodeMessage,
  encodeMessage,
  encodeUpdate,
  exabgpJson,
  familyKey,
  makeContext,
  parsePrefix,
  type UpdateMessage,
} from '../src/index.js';
import { canonicalJson, QA_ABSENT_REASON, QA_DIR, QA_PRESENT, readDecodingTest } from './corpus-qa.js';

const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MARKER = 'FF'.repeat(16);
const toHex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex').toUpperCase();
const fromHex = (text: string) => Uint8Array.from(Buffer.from(text.replace(/[\s:]/g, ''), 'hex'));
/** The keys qa/bin/functional drops before comparing (DecodingTests._cleanup). */
const VOLATILE = new Set(['exabgp', 'host', 'pid', 'ppid', 'time', 'version']);

interface Run {
  status: number;
  stdout: string[];
  stderr: string;
}

/** The command in-process, with fixed run-dependent fields. */
async function decode(argv: string[], stdin?: string[]): Promise<Run> {
  const out: string[] = [];
  let err = '';
  const io: DecodeIo = {
    stdout: (text) => out.push(text),
    stderr: (text) => {
      err += text;
    },
    ...(stdin ? { stdin } : { stdinIsTerminal: true }),
    time: () => 1700000000.25,
    host: 'test',
    pid: 1,
    ppid: 2,
  };
  const status = await runDecode(argv, io);
  const stdout = out.join('').split('\n');
  if (stdout.at(-1) === '') stdout.pop();
  return { status, stdout, stderr: err };
}

const IPV4_UPDATE =
  'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF003C020000001C4001010040020040030465016501800404000000C840050400000064000000002001010101';
const KEEPALIVE = `${MARKER}001304`;
/** A whole message of `type` (hex octet) around `body` (hex, spaces allowed). */
function message(type: string, body: string): string {
  const clean = body.replace(/\s/g, '');
  return `${MARKER}${(19 + clean.length / 2).toString(16).padStart(4, '0').toUpperCase()}${type}${clean}`;
}

function update(message: UpdateMessage, ctx = ASN4_CONTEXT): string {
  return toHex(encodeUpdate(message, ctx));
}
const IPV6_UPDATE = update({
  type: 'update',
  withdrawn: [],
  nlri: [],
  attributes: [
    { kind: 'origin', code: 1, origin: 0 },
    { kind: 'as-path', code: 2, segments: [] },
    {
      kind: 'mp-reach-nlri',
      code: 14,
      afi: 2,
      safi: 1,
      nextHop: fromHex('20010DB8000000000000000000000001'),
      nlri: [parsePrefix('2001:db8::/32')],
    },
  ],
});

describe('bgp-codec decode: arguments', () => {
  it('prints its usage with --help and exits 0', async () => {
    const run = await decode(['--help']);
    expect(run.status).toBe(0);
    expect(run.stdout.join('\n')).toContain('usage: bgp-codec decode');
  });

  it('refuses unknown options, bad families and the ExaBGP options it does not have, with exit 2', async () => {
    for (const [argv, problem] of [
      [['--frobnicate'], 'unknown option --frobnicate'],
      [['-f', 'ipv4'], '--family takes "AFI SAFI" pairs'],
      [['-f', 'ipv4 unicorn'], 'unknown family "ipv4 unicorn"'],
      [['--family'], '--family needs a value'],
      [['--nlri', '00'], '--nlri: decoding a lone NLRI is not supported'],
      [['-c', 'x.conf'], '-c: reading an ExaBGP configuration'],
    ] as const) {
      const run = await decode([...argv]);
      expect(run.status, argv.join(' ')).toBe(2);
      expect(run.stderr).toContain(problem);
      expect(run.stdout).toEqual([]);
    }
  });

  it('reads ExaBGP family names, its labeled-unicast alias, and several families at once', () => {
    const args = parseDecodeArguments(['-f', 'ipv4 unicast ipv6 flow', '--family=ipv4 labeled-unicast', 'AB']);
    expect('families' in args && [...(args.families ?? [])]).toEqual([
      familyKey(1, 1),
      familyKey(2, 133),
      familyKey(1, 4),
    ]);
  });

  it('negotiates what exabgp decode negotiates: 4-octet AS, Extended Message, RFC 8950 next hops only for all families', () => {
    const all = decodeContext({ pathInformation: false });
    expect([all.asn4, all.extendedMessage, [...all.extendedNextHop], all.addPathReceive.size]).toEqual([
      true,
      true,
      [familyKey(1, 1), familyKey(1, 2), familyKey(1, 4), familyKey(1, 128)],
      0,
    ]);
    const some = decodeContext({ families: new Set([familyKey(1, 1), familyKey(1, 133)]), pathInformation: true });
    expect([[...some.extendedNextHop], [...some.addPathReceive]]).toEqual([[], [familyKey(1, 1)]]);
  });

  it('says so when there is neither HEX nor standard input to read', async () => {
    const run = await decode([]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('no HEX given and standard input is a terminal');
  });
});

describe('bgp-codec decode: messages', () => {
  it('prints ExaBGP JSON, the neighbor block of exabgp decode and the run-dependent fields', async () => {
    const run = await decode([IPV4_UPDATE]);
    expect(run).toMatchObject({ status: 0, stderr: '' });
    expect(run.stdout).toEqual([
      exabgpJson(decodeMessage(fromHex(IPV4_UPDATE), makeContext({ asn4: true, extendedMessage: true })), {
        neighbor: DECODE_NEIGHBOR,
        direction: 'in',
        counter: 1,
        time: 1700000000.25,
        host: 'test',
        pid: 1,
        ppid: 2,
      }),
    ]);
    expect(run.stdout[0]).toContain('"announce": { "ipv4 unicast": { "101.1.101.1": [ { "nlri": "0.0.0.0/0" }');
  });

  it('takes spaces, colons and 0x in the hex, and a body without marker as an UPDATE (or an OPEN with --open)', async () => {
    const spaced = IPV4_UPDATE.replace(/(.{4})/g, '$1 ').replace(/^(.{8})/, '$1:');
    const body = IPV4_UPDATE.slice(38);
    const [a, b, c] = [await decode([spaced]), await decode([`0x${body}`]), await decode([IPV4_UPDATE])];
    expect(a.stdout).toEqual(c.stdout);
    expect(b.stdout).toEqual(c.stdout);
    const open = '04FDFD00B40A00000200'; // version 4, AS 65021, hold time 180, 10.0.0.2, no parameters
    const openRun = await decode(['--open', open]);
    expect(openRun.status, openRun.stderr).toBe(0);
    expect(openRun.stdout[0]).toContain(
      '"open": { "version": 4, "asn": 65021, "hold_time": 180, "router_id": "10.0.0.2"',
    );
    const asUpdate = await decode(['--open', '--update', open]); // the last of the two wins
    expect(asUpdate.status).toBe(1);
    expect(asUpdate.stderr).toContain('HEX (UPDATE body, header added): invalid message: Withdrawn Routes Length');
  });

  it('numbers the messages of one run, and decodes every message of a hex string that holds several', async () => {
    const run = await decode([IPV4_UPDATE + KEEPALIVE, IPV4_UPDATE]);
    expect(run.status).toBe(0);
    expect(run.stdout.map((line) => /"counter": (\d+), "type": "(\w+)"/.exec(line)?.slice(1))).toEqual([
      ['1', 'update'],
      ['2', 'keepalive'],
      ['3', 'update'],
    ]);
  });

  it('prints NOTIFICATION, KEEPALIVE and ROUTE-REFRESH, which exabgp decode calls unknown types', async () => {
    const notification = toHex(encodeMessage({ type: 'notification', code: 6, subcode: 2, data: new Uint8Array() }));
    const refresh = `${MARKER}00170500010001`;
    const run = await decode([notification, KEEPALIVE, refresh]);
    expect(run.status).toBe(0);
    expect(run.stdout[0]).toContain('"notification": { "code": 6, "subcode": 2, "data": "0x", "message": "" }');
    expect(run.stdout[1]).toContain('"type": "keepalive"');
    expect(run.stdout[2]).toContain('"route-refresh": { "afi": "ipv4", "safi": "unicast", "subtype": "query" }');
  });

  it('with --family refuses MP_REACH_NLRI of another family as ExaBGP does (3/0), and accepts its own', async () => {
    const refused = await decode(['-f', 'ipv4 unicast', IPV6_UPDATE]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('MP_REACH_NLRI of ipv6 unicast, a family not given by --family');
    expect(refused.stderr).toContain('NOTIFICATION 3/0');
    const accepted = await decode(['-f', 'ipv6 unicast', IPV6_UPDATE]);
    expect(accepted.status, accepted.stderr).toBe(0);
    expect(accepted.stdout[0]).toContain('"ipv6 unicast": { "2001:db8::1": [ { "nlri": "2001:db8::/32" } ]');
  });

  it('reads ADD-PATH path identifiers with --path-information, for the families given', async () => {
    const ctx = makeContext({
      asn4: true,
      addPathSend: new Set([familyKey(1, 1)]),
      addPathReceive: new Set([familyKey(1, 1)]),
    });
    const message = update(
      {
        type: 'update',
        withdrawn: [],
        nlri: [parsePrefix('10.0.0.0/24', 7)],
        attributes: [
          { kind: 'origin', code: 1, origin: 0 },
          { kind: 'as-path', code: 2, segments: [] },
          { kind: 'next-hop', code: 3, nextHop: 0xc0000201 },
        ],
      },
      ctx,
    );
    const run = await decode(['-i', '-f', 'ipv4 unicast', message]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout[0]).toContain('{ "nlri": "10.0.0.0/24", "path-information": "0.0.0.7" }');
    const without = await decode(['-f', 'ipv4 unicast', message]);
    expect(without.stdout[0]).not.toContain('path-information');
  });

  it('notes on standard error what the JSON cannot show: a family without an NLRI codec, RFC 7606 outcomes', async () => {
    // MP_REACH_NLRI of ipv4 flow (1/133) with one NLRI (destination 10.0.0.0/8): kept raw by the codec
    const flow = message('02', '0000 001A 40010100 400200 80040400000064 800E09 0001 85 00 00 0401080A');
    const run = await decode([flow]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain('MP_REACH_NLRI of ipv4 flow: the codec has no NLRI codec for this family');
    // ORIGIN with a bad value: treat-as-withdraw (RFC 7606 §7.1)
    const withdraw = await decode(['0000000E400101074002004003040A000001 180A0000'.replace(/\s/g, '')]);
    expect(withdraw.status, withdraw.stderr).toBe(0);
    expect(withdraw.stderr).toMatch(/note: RFC 7606 treat-as-withdraw \(origin\).*NOTIFICATION 3\/6, data 40010107/);
    expect(withdraw.stdout[0]).toContain('"withdraw": { "ipv4 unicast": [ { "nlri": "10.0.0.0/24" } ] }');
  });
});

describe('bgp-codec decode: malformed input', () => {
  it('reports a malformed UPDATE with its BgpError, NOTIFICATION code/subcode, offending bytes, and exits 1', async () => {
    const run = await decode(['0000001040010100']);
    expect(run.status).toBe(1);
    expect(run.stdout).toEqual([]);
    expect(run.stderr.split('\n')).toEqual([
      'HEX (UPDATE body, header added): invalid message: Total Path Attribute Length overruns the message (NOTIFICATION 3/1)',
      '  BgpError malformed-attribute-list: NOTIFICATION 3/1 UPDATE message error / Malformed Attribute List',
      '  offending bytes (NOTIFICATION data, 0): none',
      `  NOTIFICATION: ${MARKER}0015030301`,
      '',
    ]);
  });

  it('goes on after a bad message: the others are printed, the status is 1', async () => {
    const run = await decode([KEEPALIVE, 'zz', `${MARKER}001404`, KEEPALIVE, '123']);
    expect(run.status).toBe(1);
    expect(run.stdout).toHaveLength(2);
    expect(run.stderr).toContain('HEX 2: invalid hexadecimal: zz');
    expect(run.stderr).toContain('HEX 3: invalid message: bad message length 20 for message type 4');
    expect(run.stderr).toContain('offending bytes (NOTIFICATION data, 2): 0014');
    expect(run.stderr).toContain('HEX 5: invalid hexadecimal: an odd number of digits (3)');
  });

  it('reports a message cut short (1/2 with the length its header claims) and a bad marker after a good message', async () => {
    const cut = await decode([IPV4_UPDATE.slice(0, -6)]);
    expect(cut.status).toBe(1);
    expect(cut.stderr).toContain('message of 57 bytes whose header says 60');
    expect(cut.stderr).toContain('NOTIFICATION 1/2 Message header error / Bad Message Length');
    expect(cut.stderr).toContain('offending bytes (NOTIFICATION data, 2): 003C');
    const desynchronised = await decode([KEEPALIVE + KEEPALIVE.replace(/^FF/, 'FE')]);
    expect(desynchronised.status).toBe(1);
    expect(desynchronised.stdout).toHaveLength(1);
    expect(desynchronised.stderr).toContain('HEX, message 2 (byte 19): invalid message: bad marker');
    expect(desynchronised.stderr).toContain('NOTIFICATION 1/1 Message header error / Connection Not Synchronized');
  });

  interface MalformedVector {
    name: string;
    context: { asn4: boolean; addPath?: string[] };
    body: string;
    expect: { notification?: { code: number; subcode: number; data: string }; outcome?: string };
  }
  const vectors = JSON.parse(
    readFileSync(join(PACKAGE_DIR, '../../fixtures/codec/update/malformed.json'), 'utf8'),
  ) as MalformedVector[];
  // The session of the vectors: 4-octet AS, the four unicast and multicast families, no RFC 8950 next hops.
  const families = ['-f', 'ipv4 unicast ipv4 multicast ipv6 unicast ipv6 multicast'];

  for (const v of vectors.filter((v) => v.context.asn4)) {
    const n = v.expect.notification;
    const argv = [...families, ...(v.context.addPath ? ['-i'] : []), v.body];
    if (n && v.body.length / 2 < 4) {
      // Given a header, a body this short is a message shorter than an UPDATE can be: 1/2 with its length.
      it(`${v.name}: NOTIFICATION 1/2 once framed, exit 1`, async () => {
        const run = await decode(argv);
        expect(run.status).toBe(1);
        const length = (19 + v.body.length / 2).toString(16).padStart(4, '0').toUpperCase();
        expect(run.stderr).toContain(`: NOTIFICATION 1/2 `);
        expect(run.stderr).toContain(`offending bytes (NOTIFICATION data, 2): ${length}`);
      });
    } else if (n && n.subcode === 2) {
      it(`${v.name}: shown, not refused (ExaBGP's decoder keeps unrecognized well-known attributes)`, async () => {
        const run = await decode(argv);
        expect(run.status, run.stderr).toBe(0);
        expect(run.stdout[0]).toMatch(/"attribute-0x/);
      });
    } else if (n) {
      it(`${v.name}: NOTIFICATION ${n.code}/${n.subcode}, exit 1`, async () => {
        const run = await decode(argv);
        expect(run.status).toBe(1);
        expect(run.stdout).toEqual([]);
        expect(run.stderr).toContain(`: NOTIFICATION ${n.code}/${n.subcode} `);
        expect(run.stderr).toContain(
          `offending bytes (NOTIFICATION data, ${n.data.length / 2}): ${n.data === '' ? 'none' : n.data.toUpperCase()}`,
        );
      });
    } else {
      const outcome = v.expect.outcome;
      it(`${v.name}: ${outcome}, printed${outcome === 'ok' ? '' : ' with a note'}, exit 0`, async () => {
        const run = await decode(argv);
        expect(run.status, run.stderr).toBe(0);
        expect(run.stdout).toHaveLength(1);
        if (outcome === 'ok') expect(run.stderr).toBe('');
        else expect(run.stderr).toContain(`note: RFC 7606 ${outcome}`);
      });
    }
  }
});

describe('bgp-codec decode: the command', () => {
  const command = (argv: string[], input?: string) =>
    spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', 'src/cli/bin.ts', 'decode', ...argv], {
      cwd: PACKAGE_DIR,
      input: input ?? '',
      encoding: 'utf8',
      timeout: 60_000,
    });

  it('reads hex lines on standard input, skips blank ones, names bad lines by number and exits 1', () => {
    const run = command([], `${IPV4_UPDATE}\n\n  ${KEEPALIVE}  \n0000001040010100\n`);
    expect(run.status, run.stderr).toBe(1);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines.map((line) => /"type": "(\w+)"/.exec(line)?.[1])).toEqual(['update', 'keepalive']);
    expect(lines[0]).toMatch(
      /^\{ "exabgp": "6\.0\.0", "time": \d+\.\d+, "host" : "[^"]+", "pid" : \d+, "ppid" : \d+, /,
    );
    expect(run.stderr).toContain('line 4 (UPDATE body, header added): invalid message:');
  });

  it('exits 0 when every message decodes, 2 on a usage error', () => {
    expect(command([KEEPALIVE]).status).toBe(0);
    const usage = command(['--frobnicate']);
    expect([usage.status, usage.stdout]).toEqual([2, '']);
  });
});

/**
 * ExaBGP's decoding corpus, run as qa/bin/functional runs `exabgp decode`: `decode --TYPE HEX` for an OPEN
 * or a test without family, `decode -f FAMILY --TYPE HEX` otherwise. A vector the command supports is one
 * the codec decodes as ExaBGP does: the `conformance` decoding test's computation (exabgp-config-parser's
 * conformance/decoding.ts: decodeMessage with 4-octet AS and Extended Message, then exabgpJson) gives the
 * expected JSON. On those the command must print that JSON; the others are skipped, and say why.
 */
if (!QA_PRESENT) console.warn(`cli-decode: corpus vectors skipped, ${QA_ABSENT_REASON}`);

describe.skipIf(!QA_PRESENT)(
  `bgp-codec decode: ExaBGP decoding corpus (${QA_PRESENT ? QA_DIR : QA_ABSENT_REASON})`,
  () => {
    const names = QA_PRESENT ? readdirSync(join(QA_DIR, 'qa/decoding')).sort() : [];
    const supported: string[] = [];

    /** What the conformance decoding test prints for a vector, or why it cannot. */
    function conformanceJson(kind: string, hex: string): string | Error {
      let bytes = fromHex(hex);
      if (!toHex(bytes).startsWith(MARKER)) {
        const length = bytes.length + 19;
        bytes = fromHex(
          `${MARKER}${length.toString(16).padStart(4, '0')}${kind === 'open' ? '01' : '02'}${toHex(bytes)}`,
        );
      }
      try {
        return exabgpJson(decodeMessage(bytes, makeContext({ asn4: true, extendedMessage: true })), {
          neighbor: DECODE_NEIGHBOR,
          direction: 'in',
          counter: 1,
          time: 0,
          host: 'localhost',
          pid: 0,
          ppid: 0,
        });
      } catch (error) {
        return error as Error;
      }
    }

    for (const name of names) {
      it(name, async (ctx) => {
        const test = readDecodingTest(name);
        const [type = '', afi, safi] = test.kind.split(/\s+/);
        const family = afi && safi ? `${afi} ${safi}` : '';
        const expected = canonicalJson(test.json, VOLATILE, true);
        if (type === 'nlri') return ctx.skip(`${test.kind}: the command has no --nlri (a lone NLRI)`);
        const reference = conformanceJson(type, test.hex);
        const referencePasses = typeof reference === 'string' && canonicalJson(reference, VOLATILE, true) === expected;

        const argv = type === 'open' || family === '' ? [`--${type}`, test.hex] : ['-f', family, `--${type}`, test.hex];
        const run = await decode(argv);
        // Whatever the codec supports, the command ends cleanly: one JSON line, or a BgpError report and 1.
        if (run.status === 0) expect(run.stdout).toHaveLength(1);
        else expect([run.status, run.stderr]).toEqual([1, expect.stringContaining('BgpError')]);

        if (!referencePasses) {
          const why = typeof reference === 'string' ? 'prints other JSON' : `throws ${reference.message}`;
          return ctx.skip(`${test.kind}: not supported by the codec (the conformance decoding test ${why})`);
        }
        supported.push(name);
        expect(run.status, run.stderr).toBe(0);
        expect(canonicalJson(run.stdout[0]!, VOLATILE, true)).toBe(expected);
      });
    }

    it('supports at least the vectors the codec must pass (ipv4-unicast-1, ipv4-unicast-2, bgp-open-sofware-version)', () => {
      expect(supported).toEqual(
        expect.arrayContaining(['ipv4-unicast-1', 'ipv4-unicast-2', 'bgp-open-sofware-version']),
      );
      console.info(
        `cli-decode: the command prints ExaBGP's JSON for ${supported.length}/${names.length} corpus vectors`,
      );
    });

    it('prints what the command line of ExaBGP’s harness prints, through the real command', () => {
      const test = readDecodingTest('ipv4-unicast-1');
      const run = spawnSync(
        process.execPath,
        [
          '--conditions=source',
          '--import',
          'tsx',
          'src/cli/bin.ts',
          'decode',
          '-f',
          'ipv4 unicast',
          '--update',
          test.hex,
        ],
        { cwd: PACKAGE_DIR, encoding: 'utf8', timeout: 60_000 },
      );
      expect(run.status, run.stderr).toBe(0);
      expect(canonicalJson(run.stdout.trim(), VOLATILE, true)).toBe(canonicalJson(test.json, VOLATILE, true));
    });
  },
);
