/**
 * The `json:` lines of ExaBGP's encoding and API corpora: the JSON ExaBGP's API prints for the UPDATE on the
 * `raw:` line before it. For the families the codec implements, the codec decodes the raw UPDATE and the
 * renderer prints the same JSON: compared as text after dropping `time`, `host`, `pid`, `ppid` and `counter`
 * at every depth (the README's rule), keeping key order, numbers' digits and duplicate keys.
 * The neighbor block comes from the configuration, which is the config parser's business: it is taken from
 * the expected line, so what is checked is the message itself.
 */
import { describe, expect, it } from 'vitest';
import { makeContext } from '../src/context.js';
import { keyAfi, keySafi } from '../src/families/key.js';
import { familyName, familyRow } from '../src/families/table.js';
import { exabgpJson } from '../src/json/exabgp.js';
import { decodeUpdate } from '../src/update.js';
import {
  ATTRIBUTES_KEPT_RAW,
  canonicalJson,
  ciFiles,
  QA_ABSENT_REASON,
  QA_DIR,
  QA_PRESENT,
  rawJsonPairs,
  readSpeakerCapabilities,
  updateAttributeCodes,
  updateFamilies,
} from './corpus-qa.js';

/** The message's families all have an NLRI codec (a message that is no UPDATE has none). */
function codecFamilies(raw: Uint8Array): boolean {
  const families = updateFamilies(raw);
  return families !== undefined && [...families].every((key) => familyRow(key)?.codec !== undefined);
}
/** The raw attributes of the message that ExaBGP prints by a class the codec does not have. */
function rawAttributes(raw: Uint8Array): string[] {
  return [...(updateAttributeCodes(raw) ?? [])].flatMap((code) => ATTRIBUTES_KEPT_RAW.get(code) ?? []);
}
const familyNames = (raw: Uint8Array) =>
  [...(updateFamilies(raw) ?? [])].map((key) => familyName(keyAfi(key), keySafi(key))).join(', ') || 'not an UPDATE';
const DROPPED = new Set(['time', 'host', 'pid', 'ppid', 'counter']);

interface ExpectedLine {
  exabgp: string;
  neighbor: {
    address: { local: string; peer: string };
    asn: { local: number; peer: number };
    'router-id'?: string;
    direction: string;
  };
}

if (!QA_PRESENT) console.warn(`corpus-json: skipped, ${QA_ABSENT_REASON}`);

describe.skipIf(!QA_PRESENT)(`ExaBGP API JSON of raw UPDATEs (${QA_PRESENT ? QA_DIR : QA_ABSENT_REASON})`, () => {
  const lines = QA_PRESENT
    ? (['encoding', 'api'] as const).flatMap((corpus) =>
        ciFiles(corpus).flatMap((ci) => {
          const capabilities = readSpeakerCapabilities(ci.configs[0] ?? '');
          return rawJsonPairs(ci).map((line) => ({ ...line, corpus, capabilities }));
        }),
      )
    : [];
  const inScope = lines.filter((l) => codecFamilies(l.raw) && rawAttributes(l.raw).length === 0);

  it('finds the JSON lines of the codec families', () => {
    console.info(
      `corpus-json: ${inScope.length} of ${lines.length} json lines follow an UPDATE of families with an NLRI codec, with no attribute kept raw`,
    );
    expect(inScope.length).toBeGreaterThan(100);
  });

  for (const line of inScope) {
    it(`${line.corpus}/${line.file}:${line.line}`, () => {
      const ctx = makeContext({
        asn4: line.capabilities.asn4,
        extendedMessage: true,
        addPathReceive: line.capabilities.addPath,
        addPathSend: line.capabilities.addPath,
        extendedNextHop: line.capabilities.extendedNextHop,
      });
      const expected = JSON.parse(line.json) as ExpectedLine;
      const n = expected.neighbor;
      const update = decodeUpdate(line.raw.subarray(19), ctx, { acceptUnrecognizedWellKnown: true });
      const printed = exabgpJson(update, {
        neighbor: {
          localAddress: n.address.local,
          peerAddress: n.address.peer,
          localAs: n.asn.local,
          peerAs: n.asn.peer,
          routerId: n['router-id'],
        },
        direction: n.direction,
        time: 0,
        host: 'host',
        pid: 0,
        ppid: 0,
        version: expected.exabgp,
      });
      expect(canonicalJson(printed, DROPPED)).toBe(canonicalJson(line.json, DROPPED));
    });
  }

  for (const line of lines.filter((l) => !inScope.includes(l))) {
    const attributes = rawAttributes(line.raw);
    const why = codecFamilies(line.raw)
      ? `attribute ${attributes.join(', ')} kept raw by the codec`
      : `family ${familyNames(line.raw)} not implemented by the codec`;
    it.skip(`${line.corpus}/${line.file}:${line.line} ${why}`, () => {});
  }
});
