/**
 * Differential check of the JSON renderer against ExaBGP 6 itself: generated messages are encoded, decoded
 * by `exabgp decode` and by this codec, and the two lines compared as text (from the `"type"` key on; the
 * fields before it change from run to run). Needs an ExaBGP 6 source tree and a Python of at least 3.12:
 *
 *   EXABGP_SRC=/path/to/exabgp/src EXABGP_PYTHON=python3.12 \
 *     pnpm exec tsx --conditions=source bench/exabgp-differential.ts [KIND] [count]
 *
 * KIND: `update`, `open`, `notification`, or a family of the codec's table (`ipv4 mpls-vpn`, `nlri-mpls`
 * for both AFIs of a SAFI): UPDATEs of that family's routes with the attributes every decoder reads alike.
 *
 * Lines ExaBGP refuses ("invalid payload") are counted apart: there the two decoders disagree about the
 * message, not about how to print it.
 */
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { ASN4_CONTEXT } from '../src/context.js';
import { familyRows } from '../src/families/table.js';
import { exabgpJson } from '../src/json/exabgp.js';
import { decodeMessage, encodeMessage } from '../src/message.js';
import { familyUpdateArb, notificationArb, openArb, updateArb } from '../test/property-arbitraries.js';

const source = process.env.EXABGP_SRC;
const python = process.env.EXABGP_PYTHON ?? 'python3';
if (!source) {
  console.error('set EXABGP_SRC to the src directory of an ExaBGP 6 checkout (and EXABGP_PYTHON to Python >= 3.12)');
  process.exit(2);
}
const kind = process.argv[2] ?? 'update';
const count = Number(process.argv[3] ?? 500);
const families = new Set(
  familyRows()
    .filter((row) => row.codec !== undefined && (row.name === kind || row.safiName === kind))
    .map((row) => row.key as number),
);
const arbitrary =
  kind === 'open'
    ? openArb
    : kind === 'notification'
      ? notificationArb
      : families.size > 0
        ? familyUpdateArb(ASN4_CONTEXT, families)
        : updateArb(ASN4_CONTEXT);
const messages = fc.sample(arbitrary, { numRuns: count, seed: Number(process.env.FC_SEED ?? 42) });
const bytes = messages.map((m) => encodeMessage(m, ASN4_CONTEXT));

// `exabgp decode` reads one hex message per line on stdin; its minimal configuration is 4-octet AS, every family.
const driver = [
  'import sys, argparse',
  `sys.path.insert(0, ${JSON.stringify(source)})`,
  'from exabgp.application import decode',
  'p = argparse.ArgumentParser(); decode.setargs(p)',
  'sys.exit(decode.cmdline(p.parse_args([])))',
].join('\n');
let output: string;
try {
  output = execFileSync(python, ['-c', driver], {
    input: `${bytes.map((b) => Buffer.from(b).toString('hex')).join('\n')}\n`,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
} catch (error) {
  // exit status 1 when some payload was invalid: the output is still there
  output = (error as { stdout?: string }).stdout ?? '';
}
const theirs = output.split('\n').filter((line) => line.startsWith('{') || line.startsWith('invalid payload'));
const fromType = (line: string) => line.slice(line.indexOf('"type"'));

let same = 0;
let refused = 0;
const refusedHex: string[] = [];
const different: string[] = [];
bytes.forEach((b, i) => {
  const line = theirs[i] ?? '';
  if (line.startsWith('invalid payload')) {
    refused++;
    refusedHex.push(Buffer.from(b).toString('hex'));
    return;
  }
  const ours = exabgpJson(decodeMessage(b, ASN4_CONTEXT), {
    neighbor: {
      localAddress: '127.0.0.1',
      peerAddress: '127.0.0.1',
      localAs: 65533,
      peerAs: 65533,
      routerId: '127.0.0.1',
    },
    direction: 'in',
    time: 0,
    host: '',
    pid: 0,
    ppid: 0,
  });
  if (fromType(ours) === fromType(line)) same++;
  else different.push(`${Buffer.from(b).toString('hex')}\n  ours:   ${fromType(ours)}\n  ExaBGP: ${fromType(line)}`);
});
console.log(
  `${kind}: ${count} messages, ${same} identical, ${different.length} different, ${refused} refused by ExaBGP`,
);
for (const d of different.slice(0, 5)) console.log(d);
// EXABGP_SHOW_REFUSED=N prints N of the messages ExaBGP refused, to look at with `exabgp decode -d HEX`.
for (const h of refusedHex.slice(0, Number(process.env.EXABGP_SHOW_REFUSED ?? 0))) console.log(`refused: ${h}`);
